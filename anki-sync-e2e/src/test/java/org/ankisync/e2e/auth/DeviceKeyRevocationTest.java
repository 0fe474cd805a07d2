package org.ankisync.e2e.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Must-show 3: revoking one device's key logs out that device only. */
class DeviceKeyRevocationTest {
    @TempDir
    Path temp;

    @Test
    void aRevokedDeviceMustLogInAgainWhileTheOtherKeepsSyncing() {
        try (OurServer server = OurServer.start(temp.resolve("server"));
                PythonDevice phone = PythonDevice.open(temp.resolve("phone"));
                PythonDevice laptop = PythonDevice.open(temp.resolve("laptop"))) {
            String phoneKey = phone.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            String laptopKey = laptop.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertNotEquals(phoneKey, laptopKey, "one key per login");
            phone.addBasicNotes(2, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, phone.sync());
            phone.fullSync(true);
            assertEquals(SyncRequired.FULL_DOWNLOAD, laptop.sync());
            laptop.fullSync(false);

            // The phone logged in first, so its key is the first of alice's in the list.
            String listing = LauncherCli.run(server.environment(), "", "key", "list", TestUsers.ALICE)
                    .requireSuccess()
                    .output();
            List<String> rows = listing.lines()
                    .filter(l -> l.contains("\t" + TestUsers.ALICE + "\t"))
                    .toList();
            assertEquals(2, rows.size(), listing);
            String phoneKeyId = rows.get(0).split("\t")[0];
            LauncherCli.run(server.environment(), "", "key", "revoke", phoneKeyId)
                    .requireSuccess();

            DeviceException error = assertThrows(DeviceException.class, phone::sync);
            assertTrue(error.isAuthFailure(), error::getMessage);

            // the laptop keeps syncing (the client reports what is left to do after its normal sync: nothing)
            laptop.addBasicNotes(1, "Default");
            assertEquals(SyncRequired.NO_CHANGES, laptop.sync());

            phone.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals(SyncRequired.NO_CHANGES, phone.sync());
            assertEquals(3, phone.counts().notes(), "the phone received the laptop's note");
        }
    }
}
