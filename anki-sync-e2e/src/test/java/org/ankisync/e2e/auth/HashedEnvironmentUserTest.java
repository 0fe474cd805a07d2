package org.ankisync.e2e.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 5: {@code SYNC_USER1=user:<PHC hash>} with {@code PASSWORDS_HASHED},
 * the hash made the documented way (PBKDF2-HMAC-SHA256, PHC string, reference-client.md
 * section 3.4), logs in on the official server and on ours alike, and the
 * official server's key for it works on ours (clients moving over stay logged in).
 */
class HashedEnvironmentUserTest {
    private static final String PASSWORD = "h4shed-secret";
    private static final String HASH_SCRIPT = String.join(
            "\n",
            "import base64, hashlib, os",
            "def phc_pbkdf2_sha256(password, rounds=1000):",
            "    b64 = lambda raw: base64.b64encode(raw).decode().rstrip('=')",
            "    salt = os.urandom(16)",
            "    digest = hashlib.pbkdf2_hmac('sha256', password.encode(), salt, rounds, 32)",
            "    return f'$pbkdf2-sha256$i={rounds},l=32${b64(salt)}${b64(digest)}'",
            "result = [phc_pbkdf2_sha256('" + PASSWORD + "'), phc_pbkdf2_sha256('bob-secret')]");

    @TempDir
    Path temp;

    @Test
    void aHashedSyncUserLogsInOnBothServersWithTheSameKey() {
        Map<String, String> environment = new HashMap<>();
        String officialKey;
        try (PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            var hashes = device.run(HASH_SCRIPT);
            environment.put("SYNC_USER1", "hashy:" + hashes.get(0).asText());
            environment.put("SYNC_USER2", "bob:" + hashes.get(1).asText());
            environment.put("PASSWORDS_HASHED", "1");

            try (SyncServerUnderTest official = OfficialServer.start(temp.resolve("official"), environment)) {
                officialKey = loginAndSync(device, official);
            }
            try (OurServer ours = OurServer.start(temp.resolve("ours"), environment)) {
                // the key the official server gave keeps working here
                device.call("set_auth", Map.of("endpoint", ours.endpoint(), "hkey", officialKey));
                assertEquals(SyncRequired.NO_CHANGES, device.sync());
                loginAndSync(device, ours);
            }
        }
    }

    private static String loginAndSync(PythonDevice device, SyncServerUnderTest server) {
        DeviceException wrong =
                assertThrows(DeviceException.class, () -> device.login(server.endpoint(), "hashy", "not-it"));
        assertTrue(wrong.isAuthFailure(), wrong::getMessage);
        // the hash itself is not a password
        DeviceException hashAsPassword =
                assertThrows(DeviceException.class, () -> device.login(server.endpoint(), "hashy", "$pbkdf2-sha256"));
        assertTrue(hashAsPassword.isAuthFailure(), hashAsPassword::getMessage);
        String key = device.login(server.endpoint(), "hashy", PASSWORD);
        assertEquals(SyncRequired.NO_CHANGES, device.sync());
        return key;
    }
}
