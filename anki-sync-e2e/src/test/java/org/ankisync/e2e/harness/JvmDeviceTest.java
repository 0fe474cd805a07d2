package org.ankisync.e2e.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anki.search.SortOrder;
import java.nio.file.Path;
import java.util.List;
import org.ankisync.e2e.harness.Device.Counts;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process 2.1.66 client does what {@link Device} promises, checked against
 * the official server (the oracle): two devices in one JVM, full upload and
 * download, normal syncs, counts, and the error kinds.
 */
class JvmDeviceTest {
    @TempDir
    Path temp;

    @Test
    void twoDevicesInOneJvmShareACollectionThroughTheOfficialServer() {
        try (SyncServerUnderTest official = OfficialServer.start(temp.resolve("official"));
                JvmDevice first = JvmDevice.open(temp.resolve("first"));
                JvmDevice second = JvmDevice.open(temp.resolve("second"))) {
            String key = first.login(official.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertFalse(key.isBlank());
            assertEquals(official.endpoint(), first.auth().getEndpoint(), "endpoint kept after login");

            List<Long> ids = first.addBasicNotes(3, "Languages::French");
            assertEquals(3, ids.size());
            assertEquals(new Counts(3, 3, 0), first.counts());
            assertEquals(
                    3,
                    first.backend()
                            .searchCards("\"deck:Languages::French\"", SortOrder.getDefaultInstance())
                            .size(),
                    "cards in the new deck");
            assertEquals(SyncRequired.FULL_UPLOAD, first.sync());
            first.fullSync(true);
            assertEquals(SyncRequired.NO_CHANGES, first.sync());

            second.login(official.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals(SyncRequired.FULL_DOWNLOAD, second.sync());
            second.fullSync(false);
            assertEquals(new Counts(3, 3, 0), second.counts());
            assertEquals(SyncRequired.NO_CHANGES, second.sync());

            // A normal sync is performed inside sync(), and then the 2.1.66 client reports
            // NO_CHANGES (the core resets `required` once the normal sync has finished).
            second.addBasicNotes(2, "Default");
            assertEquals(SyncRequired.NO_CHANGES, second.sync());
            assertEquals(SyncRequired.NO_CHANGES, first.sync());
            assertEquals(new Counts(5, 5, 0), first.counts());
            assertEquals(new Counts(5, 5, 0), second.counts());
        }
    }

    @Test
    void errorsAreNamedByKind() {
        try (JvmDevice device = JvmDevice.open(temp.resolve("device"))) {
            assertThrows(IllegalStateException.class, device::sync, "no sync before a login");
            DeviceException refused = assertThrows(
                    DeviceException.class,
                    () -> device.login("http://127.0.0.1:" + Ports.free() + "/", TestUsers.ALICE, "x"));
            assertFalse(refused.isAuthFailure(), refused::getMessage);
            assertEquals("NETWORK_ERROR", refused.kind(), refused::getMessage);
        }
    }

    /** Prints what the client costs on this machine (reference-client-jvm.md lists the expected sizes). */
    @Test
    void costs() {
        try (OurServer server = OurServer.start(temp.resolve("server"))) {
            long start = System.nanoTime();
            JvmDevice device = JvmDevice.open(temp.resolve("costs"));
            double openMillis = (System.nanoTime() - start) / 1e6;
            try (device) {
                int logins = 20;
                device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
                start = System.nanoTime();
                for (int i = 0; i < logins; i++) {
                    device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
                }
                double loginMillis = (System.nanoTime() - start) / 1e6 / logins;
                start = System.nanoTime();
                for (int i = 0; i < logins; i++) {
                    assertEquals(SyncRequired.NO_CHANGES, device.sync());
                }
                double metaMillis = (System.nanoTime() - start) / 1e6 / logins;
                System.out.printf(
                        "JvmDevice costs: library load %.0f ms (first device only), open %.0f ms,"
                                + " login %.1f ms, sync of an unchanged collection %.1f ms%n",
                        JvmDevice.libraryLoadMillis(), openMillis, loginMillis, metaMillis);
                assertTrue(loginMillis > 0);
            }
        }
    }
}
