package org.ankisync.e2e.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two devices with the official client share ~150 media files through a
 * server: A uploads, fresh B downloads, B deletes 10 and changes 5, A pulls.
 * The same scenario runs against the official server, and the devices must
 * end up with the same files either way.
 */
class MediaSyncScenarioTest {
    private static final int BIG = 20 * 1024 * 1024;

    @TempDir
    Path temp;

    /** What one run of the scenario produced. */
    record Outcome(
            Map<String, String> afterFirstSync,
            Map<String, String> finalMedia,
            int serverUsn,
            double uploadMBps,
            double downloadMBps) {}

    /** The files of device A: spaces, accents (NFC and NFD), CJK, emoji, and one 20 MB file. */
    static List<Map<String, Object>> files() {
        String[] patterns = {
            "space name %d.jpg",
            "café %d.png",
            "e\u0301lan nfd %d.png",
            "日本語の画像 %d.jpg",
            "😀 smile %d.gif",
            "plain_%d.mp3",
            "Ünïcödé mix %d.svg",
            "한국어 %d.webp"
        };
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < 149; i++) {
            String name = String.format(patterns[i % patterns.length], i);
            int size = 500 + (int) ((i * 7919L) % 250_000);
            files.add(Map.of("name", name, "size", size, "seed", "A-" + i));
        }
        files.add(Map.of("name", "big video 🎬.mp4", "size", BIG, "seed", "big"));
        return files;
    }

    static long totalBytes(List<Map<String, Object>> files) {
        return files.stream()
                .mapToLong(f -> ((Number) f.get("size")).longValue())
                .sum();
    }

    Outcome run(SyncServerUnderTest server, String tag) {
        List<Map<String, Object>> files = files();
        double megabytes = totalBytes(files) / 1e6;
        try (PythonDevice a = PythonDevice.open(temp.resolve(tag + "-A"));
                PythonDevice b = PythonDevice.open(temp.resolve(tag + "-B"))) {
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            b.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            JsonNode stored = a.call("add_media", Map.of("files", files));
            // the client stores NFC names
            stored.forEach(n -> assertTrue(Normalizer.isNormalized(n.asText(), Normalizer.Form.NFC), n.asText()));
            a.call(
                    "add_notes",
                    Map.of(
                            "count",
                            3,
                            "fields",
                            List.of(
                                    "<img src=\"" + stored.get(0).asText() + "\">",
                                    "[sound:" + stored.get(5).asText() + "]")));

            long t0 = System.nanoTime();
            a.call("sync_media");
            double up = megabytes / ((System.nanoTime() - t0) / 1e9);
            Map<String, String> mediaA = media(a);
            assertEquals(150, mediaA.size(), "A's files");

            long t1 = System.nanoTime();
            b.call("sync_media");
            double down = megabytes / ((System.nanoTime() - t1) / 1e9);
            Map<String, String> mediaB = media(b);
            assertEquals(mediaA, mediaB, "B holds byte-identical files after its first sync");

            RawSyncClient raw = new RawSyncClient(server.endpoint()).login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals(150, raw.mediaUsn());
            assertClientState(a, 150, 150);
            assertClientState(b, 150, 150);

            // B deletes 10 and changes 5
            Iterator<String> names = new TreeMap<>(mediaB).keySet().iterator();
            List<String> trash = new ArrayList<>();
            List<Map<String, Object>> changed = new ArrayList<>();
            int k = 0;
            while (names.hasNext() && (trash.size() < 10 || changed.size() < 5)) {
                String name = names.next();
                if (k++ % 3 == 0 && changed.size() < 5) {
                    changed.add(Map.of("name", name, "size", 1000 + k * 10, "seed", "changed-" + name));
                } else if (trash.size() < 10) {
                    trash.add(name);
                }
            }
            sleepQuietly(50);
            b.call("trash_media", Map.of("names", trash));
            b.call("replace_media", Map.of("files", changed));
            b.call("sync_media");
            a.call("sync_media");

            Map<String, String> finalA = media(a);
            Map<String, String> finalB = media(b);
            assertEquals(140, finalB.size());
            assertEquals(finalB, finalA, "A matches B after both synced");
            for (Map<String, Object> c : changed) {
                assertNotEquals(mediaB.get((String) c.get("name")), finalA.get((String) c.get("name")));
            }
            int usn = raw.mediaUsn();
            assertEquals(165, usn, "one usn step per real change");
            assertEquals(usn, raw.metaMediaUsn(), "meta's media_usn tells the truth");
            assertClientState(a, usn, 140);
            assertClientState(b, usn, 140);
            assertEquals(
                    "OK",
                    raw.post("msync/mediaSanity", "{\"local\":140}").data().asText());
            assertEquals(
                    "mediaSanity",
                    raw.post("msync/mediaSanity", "{\"local\":139}").data().asText());
            return new Outcome(mediaA, finalA, usn, up, down);
        }
    }

    private static void assertClientState(PythonDevice device, int usn, int files) {
        JsonNode state = device.call("media_state");
        assertEquals(usn, state.get("last_usn").asInt(), "the client's recorded media usn");
        assertEquals(files, state.get("files").asInt(), "the client's file count");
        assertEquals(0, state.get("pending").asInt(), "nothing pending on the client");
    }

    private static Map<String, String> media(PythonDevice device) {
        Map<String, String> media = new TreeMap<>();
        device.dump()
                .get("media")
                .properties()
                .forEach(e -> media.put(e.getKey(), e.getValue().asText()));
        return media;
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void devicesConvergeOnOurServerAsOnTheOfficialOne() {
        Outcome ours;
        try (OurServer server = OurServer.start(temp.resolve("ours"))) {
            ours = run(server, "ours");
        }
        Outcome official;
        try (OfficialServer server = OfficialServer.start(temp.resolve("official"))) {
            official = run(server, "official");
        }
        assertEquals(official.afterFirstSync(), ours.afterFirstSync());
        assertEquals(official.finalMedia(), ours.finalMedia());
        assertEquals(official.serverUsn(), ours.serverUsn());
        System.out.printf(
                "media throughput (%.1f MB, %d files): ours up %.1f MB/s, down %.1f MB/s;"
                        + " official up %.1f MB/s, down %.1f MB/s%n",
                totalBytes(files()) / 1e6,
                files().size(),
                ours.uploadMBps(),
                ours.downloadMBps(),
                official.uploadMBps(),
                official.downloadMBps());
    }
}
