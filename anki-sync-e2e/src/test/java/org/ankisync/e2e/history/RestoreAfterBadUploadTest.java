package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The loss this feature exists for (issue 12, must-show 1): device A has 200
 * notes with reviews and media; a freshly installed device B with 5 notes of
 * its own is pushed into a full upload, which replaces A's collection on the
 * server. One {@code snapshot restore} later (with the server running), A's
 * next sync offers the full-sync choice, a download brings back every note,
 * card, review and media file, and B gets them too.
 */
class RestoreAfterBadUploadTest {
    @TempDir
    Path temp;

    @Test
    void aBadFullUploadIsUndoneBySnapshotRestore() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = PythonDevice.open(temp.resolve("a"));
                PythonDevice b = PythonDevice.open(temp.resolve("b"))) {
            Map<String, String> cli = server.environment();
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            List<Map<String, Object>> files = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                files.add(Map.of("name", "picture " + i + ".jpg", "size", 20_000 + i * 1000, "seed", "pic" + i));
            }
            JsonNode stored = a.call("add_media", Map.of("files", files));
            for (int i = 0; i < 8; i++) {
                a.call(
                        "add_notes",
                        Map.of(
                                "count",
                                1,
                                "deck",
                                "Pictures",
                                "fields",
                                List.of(
                                        "picture " + i,
                                        "<img src=\"" + stored.get(i).asText() + "\">")));
            }
            a.call("add_notes", Map.of("count", 192, "deck", "Words"));
            a.call("review", Map.of("count", 40, "deck", "Words"));
            a.syncWithFull("upload", true);
            assertEquals(
                    "no_changes", a.syncWithFull(null, true).get("required").asText());
            String aContent = ServerContent.ofDevice(a);
            JsonNode aMedia = a.dump().get("media");
            assertEquals(200, a.counts().notes());
            assertEquals(8, aMedia.size());
            assertTrue(a.counts().revlog() >= 40);

            // Device B, fresh, with 5 notes of its own: the user presses "Upload to server".
            b.call("add_notes", Map.of("count", 5, "deck", "Phone"));
            b.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            JsonNode bFirst = b.syncWithFull("upload", true);
            assertEquals("full_sync", bFirst.get("required").asText(), "B was offered the choice: " + bFirst);
            assertEquals("full_upload", bFirst.get("performed").asText());

            HistoryCli.Listed before = HistoryCli.list(cli, TestUsers.ALICE).stream()
                    .filter(s -> s.reason().equals("before-full-upload"))
                    .reduce((x, y) -> y)
                    .orElseThrow();
            assertEquals(200, before.notes(), before.line());
            assertEquals(a.counts().revlog(), before.revlog(), before.line());

            String restored = HistoryCli.run(cli, "snapshot", "restore", TestUsers.ALICE, before.id());
            assertTrue(restored.contains("restored " + before.id()), restored);
            assertTrue(
                    HistoryCli.list(cli, TestUsers.ALICE).stream()
                            .anyMatch(s -> s.reason().equals("before-restore") && s.notes() == 5),
                    "the state B uploaded is kept as a before-restore snapshot");

            JsonNode aNext = a.syncWithFull("download", true);
            assertEquals("full_sync", aNext.get("required").asText(), "A must get the full-sync choice: " + aNext);
            assertEquals("full_download", aNext.get("performed").asText());
            assertEquals(aContent, ServerContent.ofDevice(a), "A has its notes, cards and reviews again");
            assertEquals(aMedia, a.dump().get("media"), "A has its media");

            JsonNode bNext = b.syncWithFull("download", true);
            assertEquals("full_sync", bNext.get("required").asText(), "B must get the full-sync choice: " + bNext);
            b.call("sync_media");
            assertEquals(aContent, ServerContent.ofDevice(b), "B has A's notes, cards and reviews");
            assertEquals(aMedia, b.dump().get("media"), "B has A's media");
            assertEquals(
                    "no_changes", a.syncWithFull(null, true).get("required").asText());
            assertEquals(
                    "no_changes", b.syncWithFull(null, true).get("required").asText());
        }
    }
}
