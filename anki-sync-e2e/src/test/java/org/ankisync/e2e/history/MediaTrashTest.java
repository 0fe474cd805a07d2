package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.ServerContent;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A media file deleted on device A goes to the server's media trash; after
 * {@code media trash restore}, the next media sync brings it back to A and B,
 * byte for byte (issue 12, must-show 5).
 */
class MediaTrashTest {
    @TempDir
    Path temp;

    @Test
    void aDeletedMediaFileComesBackToEveryDevice() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = PythonDevice.open(temp.resolve("a"));
                PythonDevice b = PythonDevice.open(temp.resolve("b"))) {
            Map<String, String> cli = server.environment();
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            b.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            List<Map<String, Object>> files = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                files.add(Map.of("name", "diagram " + i + ".png", "size", 30_000 + i, "seed", "d" + i));
            }
            a.call("add_media", Map.of("files", files));
            a.call("add_notes", Map.of("count", 3, "deck", "Media"));
            a.syncWithFull("upload", true);
            b.syncWithFull("download", true);
            JsonNode original = a.dump().get("media");
            assertEquals(original, b.dump().get("media"), "B has A's files");
            String gone = "diagram 2.png";

            a.call("trash_media", Map.of("names", List.of(gone)));
            a.call("sync_media");
            b.call("sync_media");
            assertFalse(a.dump().get("media").has(gone));
            assertFalse(b.dump().get("media").has(gone), "the deletion reached B");

            String listed = HistoryCli.run(cli, "media", "trash", "list", TestUsers.ALICE);
            assertTrue(listed.lines().anyMatch(l -> l.startsWith(gone + "  30002 bytes")), listed);
            String restored = HistoryCli.run(cli, "media", "trash", "restore", TestUsers.ALICE, gone);
            assertTrue(restored.contains("restored " + gone), restored);
            assertEquals(
                    "",
                    HistoryCli.run(cli, "media", "trash", "list", TestUsers.ALICE)
                            .strip(),
                    "the trash is empty again");

            a.call("sync_media");
            b.call("sync_media");
            assertEquals(original, a.dump().get("media"), "A has the file again, same bytes");
            assertEquals(original, b.dump().get("media"), "B has the file again, same bytes");
            server.close();
            ServerContent.checkMedia(server.dataDir().resolve(TestUsers.ALICE));
        }
    }
}
