package org.ankisync.e2e.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.Ports;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin's history JSON endpoints with the official client: a media file a sync
 * deleted is listed in the trash and restored (the device downloads it again), a
 * snapshot is taken, listed, restored (the device gets the full-sync choice) and
 * exported as a .colpkg.
 */
class AdminHistoryJsonTest {
    private static final String PASSWORD = "admin-secret-history";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void snapshotsAndTheMediaTrashThroughTheJsonEndpoints() throws Exception {
        int adminPort = Ports.free();
        try (OurServerProcess server = OurServerProcess.start(
                        temp.resolve("server"),
                        "256m",
                        Map.of(
                                "ANKISYNCD_ADMIN_PASSWORD", Pbkdf2.hash(PASSWORD),
                                "ANKISYNCD_ADMIN_PORT", Integer.toString(adminPort)));
                PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            AdminClient admin = new AdminClient("http://127.0.0.1:" + adminPort + "/");
            String csrf = admin.login(PASSWORD);
            String user = "api/users/" + TestUsers.ALICE;

            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            a.call("add_media", Map.of("files", List.of(Map.of("name", "chart.png", "size", 12_345, "seed", "c"))));
            a.call("add_notes", Map.of("count", 3, "deck", "Media"));
            a.syncWithFull("upload", true);
            JsonNode original = a.dump().get("media");

            // the media trash
            a.call("trash_media", Map.of("names", List.of("chart.png")));
            a.call("sync_media");
            JsonNode trash = JSON.readTree(admin.get(user + "/media-trash").body());
            assertEquals(1, trash.size(), trash.toString());
            assertEquals("chart.png", trash.get(0).get("name").asText());
            assertEquals(12_345, trash.get(0).get("size").asLong());
            HttpResponse<String> restored =
                    admin.json("POST", user + "/media-trash/restore", "{}", "X-CSRF-Token", csrf);
            assertEquals(200, restored.statusCode(), restored.body());
            assertTrue(restored.body().contains("chart.png"), restored.body());
            a.call("sync_media");
            assertEquals(original, a.dump().get("media"), "the device downloaded the file again");

            // snapshots
            HttpResponse<String> taken = admin.json("POST", user + "/snapshots", null, "X-CSRF-Token", csrf);
            assertEquals(201, taken.statusCode(), taken.body());
            JsonNode snapshot = JSON.readTree(taken.body());
            assertEquals("manual", snapshot.get("reason").asText());
            assertEquals(3, snapshot.get("notes").asInt());
            String id = snapshot.get("id").asText();
            JsonNode listed = JSON.readTree(admin.get(user + "/snapshots").body());
            assertEquals(id, listed.get(0).get("id").asText(), "newest first: " + listed);

            a.call("add_notes", Map.of("count", 2, "deck", "Media"));
            assertEquals(
                    "no_changes", a.syncWithFull(null, false).get("required").asText());
            assertEquals(
                    403,
                    admin.json("POST", user + "/snapshots/" + id + "/restore", null)
                            .statusCode(),
                    "no token, no restore");
            HttpResponse<String> restore =
                    admin.json("POST", user + "/snapshots/" + id + "/restore", null, "X-CSRF-Token", csrf);
            assertEquals(200, restore.statusCode(), restore.body());
            JsonNode next = a.syncWithFull("download", false);
            assertEquals("full_sync", next.get("required").asText(), "the full-sync choice: " + next);
            assertEquals(3, a.counts().notes());

            HttpResponse<String> colpkg = admin.get(user + "/snapshots/" + id + "/colpkg");
            assertEquals(200, colpkg.statusCode());
            assertTrue(colpkg.headers()
                    .firstValue("Content-Disposition")
                    .orElse("")
                    .contains("attachment"));
            assertEquals(
                    404,
                    admin.get(user + "/snapshots/20000101-000000-000/colpkg").statusCode());
            assertEquals(404, admin.get("api/users/nobody/snapshots").statusCode());
            assertFalse(admin.get(user + "/snapshots").body().isEmpty());
        }
    }
}
