package org.ankisync.e2e.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.media.Zips;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A raw client sends hostile upload zips; each is refused with 4xx and leaves no trace. */
class HostileMediaUploadTest {
    @TempDir
    static Path temp;

    private static OurServer server;
    private static RawSyncClient client;
    private static final byte[] ONE = {42};

    @BeforeAll
    static void start() {
        server = OurServer.start(temp.resolve("server"));
        client = new RawSyncClient(server.endpoint()).login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
        // the media database exists before the attacks, so any row they add would show
        assertEquals(0, client.mediaUsn());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] one(String name) {
        String meta = "[[" + quote(name) + ",\"0\"]]";
        return Zips.upload(meta, Map.of("0", ONE));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static Stream<Arguments> hostileZips() {
        Map<String, byte[]> twoMembers = new LinkedHashMap<>();
        twoMembers.put("0", "fine".getBytes(StandardCharsets.UTF_8));
        twoMembers.put("1", "evil".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("parent traversal", one("../../escape.txt")),
                Arguments.of("parent traversal, deeper", one("../../../../../../tmp/escape.txt")),
                Arguments.of("absolute path", one("/tmp/ankisync-abs-escape.txt")),
                Arguments.of("backslash traversal", one("..\\..\\escape.txt")),
                Arguments.of("sub-folder", one("sub/file.txt")),
                Arguments.of("NUL", one("nul\u0000.txt")),
                Arguments.of("dot", one(".")),
                Arguments.of("dot-dot", one("..")),
                Arguments.of("empty name", one("")),
                Arguments.of("256-byte name", one("a".repeat(252) + ".txt")),
                Arguments.of("not NFC", one("cafe\u0301.txt")),
                Arguments.of("1 GB declared entry", HostileZips.declaredHuge(1L << 30)),
                Arguments.of("10,000 tiny entries", HostileZips.manyEntries(10_000)),
                Arguments.of("deflate bomb of 101 MiB", HostileZips.deflateBomb(101)),
                Arguments.of("_meta names a missing member", Zips.upload("[[\"a.txt\",\"7\"]]", Map.of("0", ONE))),
                Arguments.of("_meta not JSON", Zips.upload("[[\"a.txt\",", Map.of("0", ONE))),
                Arguments.of("_meta an object", Zips.upload("{\"0\":\"a.txt\"}", Map.of("0", ONE))),
                Arguments.of("no _meta", Zips.upload(null, Map.of("0", ONE))),
                Arguments.of(
                        "26 changes",
                        Zips.upload("[" + "[\"x.txt\",null],".repeat(25) + "[\"y.txt\",null]]", Map.of())),
                Arguments.of("zero-byte file", Zips.upload("[[\"empty.txt\",\"0\"]]", Map.of("0", new byte[0]))),
                Arguments.of(
                        "good entry then traversal",
                        Zips.upload("[[\"fine.txt\",\"0\"],[\"../escape.txt\",\"1\"]]", twoMembers)),
                Arguments.of("not a zip", "PK but not really".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileZips")
    void isRefusedAndWritesNothing(String what, byte[] zip) throws IOException {
        Set<String> before = filesUnder(temp);
        RawSyncClient.Reply reply = client.postBytes("msync/uploadChanges", zip);
        assertTrue(reply.status() >= 400 && reply.status() < 500, what + ": status " + reply.status());
        assertEquals(before, filesUnder(temp), what + ": files appeared or vanished");
        assertEquals(0, client.mediaUsn(), what + ": usn moved");
        assertEquals(
                0, client.post("msync/mediaChanges", "{\"lastUsn\":0}").data().size(), what + ": rows");
        assertFalse(Files.exists(Path.of("/tmp/ankisync-abs-escape.txt")));
        assertFalse(Files.exists(Path.of("/tmp/escape.txt")));
    }

    @Test
    void aGoodUploadStillWorksAfterwards() throws IOException {
        RawSyncClient other = new RawSyncClient(server.endpoint()).login(TestUsers.BOB, TestUsers.BOB_PASSWORD);
        RawSyncClient.Reply reply = other.postBytes("msync/uploadChanges", one("fine.txt"));
        assertEquals(200, reply.status());
        assertEquals(
                List.of(1, 1),
                List.of(reply.data().get(0).asInt(), reply.data().get(1).asInt()));
        assertTrue(Files.isRegularFile(
                server.dataDir().resolve(TestUsers.BOB).resolve("media").resolve("fine.txt")));
        // and downloadFiles refuses names it does not know
        assertEquals(
                409,
                other.post("msync/downloadFiles", "{\"files\":[\"../media.db\"]}")
                        .status());
        assertEquals(
                409,
                other.post("msync/downloadFiles", "{\"files\":[\"nothing.txt\"]}")
                        .status());
    }

    /** Every file under the test's folder except this server's own database files and device logs. */
    private static Set<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .filter(p -> !p.matches(".*media\\.db(-wal|-shm|-journal)?$"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
