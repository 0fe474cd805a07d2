package org.ankisync.e2e.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.ankisync.e2e.harness.Device.Counts;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts managed with {@code java -jar ankisyncd.jar user ...} while the
 * server (the same jar, in its own process) runs: the server sees each change
 * at its next request, and issued keys outlive a restart.
 */
class CommandLineAccountsTest {
    @TempDir
    Path temp;

    /** Must-show 1: added while running, logs in and syncs at once; removed, cannot, and the keys stop working. */
    @Test
    void aUserAddedWhileTheServerRunsSyncsAtOnceAndARemovedUserIsLockedOut() {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("data"), "256m", Map.of());
                PythonDevice phone = PythonDevice.open(temp.resolve("phone"));
                PythonDevice laptop = PythonDevice.open(temp.resolve("laptop"))) {
            Map<String, String> settings = server.environment();
            DeviceException before =
                    assertThrows(DeviceException.class, () -> phone.login(server.endpoint(), "carol", "carol-pass"));
            assertTrue(before.isAuthFailure(), before::getMessage);

            LauncherCli.addUser(settings, "carol", "carol-pass");
            assertTrue(LauncherCli.run(settings, "", "user", "list")
                    .requireSuccess()
                    .output()
                    .contains("carol"));

            phone.login(server.endpoint(), "carol", "carol-pass");
            phone.addBasicNotes(3, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, phone.sync());
            phone.fullSync(true);
            laptop.login(server.endpoint(), "carol", "carol-pass");
            assertEquals(SyncRequired.FULL_DOWNLOAD, laptop.sync());
            laptop.fullSync(false);
            assertEquals(new Counts(3, 3, 0), laptop.counts());

            String removed = LauncherCli.run(settings, "", "user", "remove", "carol")
                    .requireSuccess()
                    .output();
            assertTrue(removed.contains("removed user carol"), removed);
            for (PythonDevice device : new PythonDevice[] {phone, laptop}) {
                DeviceException error = assertThrows(DeviceException.class, device::sync);
                assertTrue(error.isAuthFailure(), error::getMessage);
            }
            DeviceException login =
                    assertThrows(DeviceException.class, () -> phone.login(server.endpoint(), "carol", "carol-pass"));
            assertTrue(login.isAuthFailure(), login::getMessage);
        }
    }

    /** Must-show 4: a key issued before a restart still works after it. */
    @Test
    void keysSurviveARestart() {
        Path data = temp.resolve("data");
        String hostKey;
        try (PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            try (OurServerProcess server = OurServerProcess.start(data, "256m", Map.of())) {
                LauncherCli.addUser(server.environment(), "dana", "dana-pass");
                hostKey = device.login(server.endpoint(), "dana", "dana-pass");
                device.addBasicNotes(2, "Default");
                assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
                device.fullSync(true);
            }
            try (OurServerProcess again = OurServerProcess.start(data, "256m", Map.of())) {
                device.call("set_auth", Map.of("endpoint", again.endpoint(), "hkey", hostKey));
                assertEquals(SyncRequired.NO_CHANGES, device.sync());
                device.addBasicNotes(1, "Default");
                // a normal sync is done at once; the client then reports nothing left to do
                assertEquals(SyncRequired.NO_CHANGES, device.sync());
                RawSyncClient raw = new RawSyncClient(again.endpoint()).hostKey(hostKey);
                assertEquals(
                        200, raw.post("sync/meta", "{\"v\":11,\"cv\":\"raw\"}").status());
                String keys = LauncherCli.run(again.environment(), "", "key", "list", "dana")
                        .requireSuccess()
                        .output();
                assertTrue(
                        keys.lines().anyMatch(line -> line.contains("\tdana\t") && line.contains("127.0.0.1")), keys);
            }
        }
    }
}
