package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.S3Server;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.s3.S3Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher jar with {@code ANKISYNCD_MEDIA_STORE=s3} against an S3-compatible server
 * (moto): device A (official client 26.9.3) uploads media with Unicode names and a 20 MB
 * file, device B downloads them byte for byte, the bucket holds exactly those bytes under
 * the user's prefix, and no media byte is on the server's disk; a snapshot export carries
 * the files from S3, and a file deleted on B comes back from the local trash into the bucket.
 */
class S3MediaSyncTest {
    private static final int BIG = 20 * 1024 * 1024;
    private static final String BUCKET = "anki-media";
    private static final String PREFIX = "cluster";

    @TempDir
    Path temp;

    static List<Map<String, Object>> files() {
        List<Map<String, Object>> files = new ArrayList<>();
        String[] names = {
            "caf\u00e9 cr\u00e8me.jpg",
            "\u65e5\u672c\u8a9e\u306e\u97f3\u58f0.mp3",
            "\ud83d\ude00 smile.gif",
            "\ud55c\uad6d\uc5b4 \uc774\ubbf8\uc9c0.webp",
            "100% sure & <done>.png",
            "plus+sign (1).svg",
            "\u00dcn\u00ef\u00e7\u00f6d\u00e9.ogg",
            "plain.txt"
        };
        for (int i = 0; i < names.length; i++) {
            files.add(Map.of("name", names[i], "size", 300 + i * 40_000, "seed", "s3-" + i));
        }
        files.add(Map.of("name", "big video \ud83c\udfac.mp4", "size", BIG, "seed", "s3-big"));
        return files;
    }

    @Test
    void devicesShareMediaThroughS3AndTheServerDiskHoldsNone() throws IOException {
        try (S3Server s3 = S3Server.start(temp.resolve("moto.log"))) {
            s3.createBucket(BUCKET);
            Map<String, String> settings = S3MediaStoreContractTest.settings(s3, BUCKET, PREFIX);
            Path data = temp.resolve("data");
            OurServerProcess server = OurServerProcess.start(data, "256m", settings);
            try (PythonDevice a = PythonDevice.open(temp.resolve("A"));
                    PythonDevice b = PythonDevice.open(temp.resolve("B"))) {
                a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
                b.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
                List<Map<String, Object>> files = files();
                JsonNode stored = a.call("add_media", Map.of("files", files));
                a.call(
                        "add_notes",
                        Map.of(
                                "count",
                                2,
                                "fields",
                                List.of(
                                        "<img src=\"" + stored.get(0).asText() + "\">",
                                        "[sound:" + stored.get(1).asText() + "]")));
                a.syncWithFull("upload", true);
                Map<String, String> mediaA = media(a);
                assertEquals(files.size(), mediaA.size(), "A's files");

                b.syncWithFull("download", true);
                assertEquals(mediaA, media(b), "B holds byte-identical files");

                assertBucketHoldsExactly(s3, mediaA);
                assertNoMediaBytesOnDisk(data, Set.copyOf(mediaA.values()));

                // a snapshot's .colpkg carries the media from S3 (copied for the export, then removed)
                Map<String, String> cli = new HashMap<>(server.environment());
                cli.putAll(settings);
                String created = LauncherCli.run(cli, "", "snapshot", "create", TestUsers.ALICE)
                        .requireSuccess()
                        .output();
                Matcher id = Pattern.compile("(?m)^(\\S+) .* manual ").matcher(created);
                assertTrue(id.find(), created);
                Path colpkg = temp.resolve("alice.colpkg");
                String exported = LauncherCli.run(
                                cli, "", "snapshot", "export", TestUsers.ALICE, id.group(1), "--to", colpkg.toString())
                        .requireSuccess()
                        .output();
                assertTrue(exported.contains("with " + files.size() + " media files"), exported);
                assertTrue(Files.size(colpkg) > BIG, "the export holds the 20 MB file: " + Files.size(colpkg));
                assertNoMediaBytesOnDisk(data, Set.copyOf(mediaA.values()));

                // a deletion on B reaches A, and the object leaves the bucket (into the local trash)
                String deleted = "plain.txt";
                b.call("trash_media", Map.of("names", List.of(deleted)));
                b.call("sync_media");
                a.call("sync_media");
                Map<String, String> remaining = new TreeMap<>(mediaA);
                remaining.remove(deleted);
                assertEquals(remaining, media(a), "A lost the file B deleted");
                assertBucketHoldsExactly(s3, remaining);

                // restored from the (local) trash by the command line: back in the bucket, and on A
                String restored = LauncherCli.run(cli, "", "media", "trash", "restore", TestUsers.ALICE, deleted)
                        .requireSuccess()
                        .output();
                assertTrue(restored.contains("restored " + deleted), restored);
                assertBucketHoldsExactly(s3, mediaA);
                a.call("sync_media");
                assertEquals(mediaA, media(a), "A has the restored file again");
            } finally {
                server.close();
            }
        }
    }

    /** Every object under the user's prefix is one of the device's files, with the same SHA-1. */
    private static void assertBucketHoldsExactly(S3Server s3, Map<String, String> sha1ByName) throws IOException {
        S3Keys keys = new S3Keys(PREFIX, TestUsers.ALICE);
        Map<String, String> expected = new TreeMap<>();
        sha1ByName.forEach((name, sha1) -> expected.put(keys.keyOf(name), sha1));
        List<String> stored = s3.keys(BUCKET, "");
        assertEquals(expected.keySet(), Set.copyOf(stored), "the bucket's keys");
        Map<String, String> actual = new TreeMap<>();
        for (String key : stored) {
            try (InputStream in = s3.open(BUCKET, key)) {
                actual.put(key, sha1(in));
            }
        }
        assertEquals(expected, actual, "the bucket's bytes");
    }

    /** No file under the server's data folder has the content of a media file, and there is no media folder. */
    private static void assertNoMediaBytesOnDisk(Path data, Set<String> mediaSha1s) throws IOException {
        Map<Path, String> onDisk = new HashMap<>();
        try (Stream<Path> all = Files.walk(data)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    onDisk.put(data.relativize(file), sha1(in));
                }
            }
        }
        assertTrue(
                onDisk.keySet().stream().anyMatch(p -> p.endsWith("media.db")),
                "the media database is local: " + onDisk.keySet());
        Set<Path> media = onDisk.entrySet().stream()
                .filter(e -> mediaSha1s.contains(e.getValue()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertEquals(Set.of(), media, "media bytes on the server's disk");
        assertFalse(
                Files.isDirectory(data.resolve(TestUsers.ALICE).resolve("media"))
                        && Files.list(data.resolve(TestUsers.ALICE).resolve("media"))
                                .findAny()
                                .isPresent(),
                "the user's media folder is empty");
    }

    private static Map<String, String> media(PythonDevice device) {
        Map<String, String> media = new TreeMap<>();
        device.dump()
                .get("media")
                .fields()
                .forEachRemaining(e -> media.put(e.getKey(), e.getValue().asText()));
        return media;
    }

    private static String sha1(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
