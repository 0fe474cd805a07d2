package org.ankisync.e2e.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TomcatServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR serves the same admin area under {@code /anki/admin/} (AdminServlet over the
 * same AdminHandler): the official client syncs through Tomcat, the admin's JSON shows
 * that sync and revokes the device, and the client's next sync gets 403.
 */
class AdminWarTest {
    private static final String PASSWORD = "admin-secret-war";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theWarServesTheAdminAreaOverTheSameAccounts() throws Exception {
        try (TomcatServer tomcat = TomcatServer.start(
                        temp.resolve("tomcat"),
                        temp.resolve("collections"),
                        Map.of(
                                "ANKISYNCD_ADMIN_PASSWORD",
                                Pbkdf2.hash(PASSWORD),
                                "ANKISYNCD_AUTH_DB_PATH",
                                temp.resolve("users.db").toString()),
                        Map.of());
                PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            AdminClient bare = new AdminClient(tomcat.endpoint());
            assertEquals(308, bare.get("admin").statusCode());
            AdminClient admin = new AdminClient(tomcat.endpoint() + "admin/");
            String csrf = admin.login(PASSWORD);
            HttpResponse<String> added = admin.json(
                    "POST", "api/users", "{\"name\":\"frank\",\"password\":\"frank-pw\"}", "X-CSRF-Token", csrf);
            assertEquals(201, added.statusCode(), added.body());

            device.login(tomcat.endpoint(), "frank", "frank-pw");
            device.addBasicNotes(1, "Default");
            if (device.sync() == SyncRequired.FULL_UPLOAD) {
                device.fullSync(true);
            }
            JsonNode frank = JSON.readTree(admin.get("api/users/frank").body());
            assertEquals(1, frank.get("notes").asInt(), frank.toString());
            assertTrue(frank.get("lastSync").get("clientVersion").asText().contains(","), frank.toString());

            JsonNode devices =
                    JSON.readTree(admin.get("api/users/frank/devices").body());
            assertEquals(1, devices.size(), devices.toString());
            HttpResponse<String> revoked = admin.json(
                    "DELETE",
                    "api/users/frank/devices/" + devices.get(0).get("id").asLong(),
                    null,
                    "X-CSRF-Token",
                    csrf);
            assertEquals(200, revoked.statusCode(), revoked.body());
            DeviceException refused = Assertions.assertThrows(DeviceException.class, device::sync);
            assertTrue(refused.isAuthFailure(), refused::getMessage);
        }
    }
}
