package org.ankisync.e2e.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Must-show 2: wrong passwords are authentication errors, then throttled and logged; the right one works after. */
class LoginThrottlingTest {
    private static final long DELAY_MS = 1500;

    @TempDir
    Path temp;

    @Test
    void wrongPasswordsAreRefusedThenThrottledAndLoggedAndTheRightPasswordWorksAfterTheDelay() throws Exception {
        Map<String, String> settings = Map.of(
                "ANKISYNCD_LOGIN_MAX_FAILURES",
                "3",
                "ANKISYNCD_LOGIN_DELAY_MS",
                Long.toString(DELAY_MS),
                "ANKISYNCD_LOGIN_MAX_DELAY_MS",
                "6000");
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("data"), "256m", settings);
                PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            for (int i = 0; i < 3; i++) {
                DeviceException error = assertThrows(
                        DeviceException.class, () -> device.login(server.endpoint(), TestUsers.ALICE, "guess"));
                assertTrue(error.isAuthFailure(), error::getMessage);
            }
            // Locked: even the right password is refused, with the same 403, at once.
            long start = System.nanoTime();
            DeviceException locked = assertThrows(
                    DeviceException.class,
                    () -> device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD));
            assertTrue(locked.isAuthFailure(), locked::getMessage);
            RawSyncClient raw = new RawSyncClient(server.endpoint());
            assertEquals(
                    403,
                    raw.post("sync/hostKey", "{\"u\":\"alice\",\"p\":\"guess\"}")
                            .status());

            List<String> failures = loginFailures(server);
            assertEquals(5, failures.size(), String.join("\n", failures));
            for (int i = 0; i < 3; i++) {
                assertTrue(
                        failures.get(i).endsWith("LOGIN FAILED address=127.0.0.1 user=\"alice\" reason=wrong_password"),
                        failures.get(i));
            }
            assertTrue(
                    failures.get(3).contains("LOGIN FAILED address=127.0.0.1 user=\"alice\" reason=throttled"),
                    failures.get(3));

            long waited = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(Math.max(0, DELAY_MS - waited + 200));
            device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals(SyncRequired.NO_CHANGES, device.sync());
            assertEquals(5, loginFailures(server).size(), "a successful login logs no failure");
        }
    }

    /**
     * Issue 13, must-show 6: five wrong passwords for one user from an address (the
     * default limit) do not lock another user behind the same address out; a sixth
     * guess for the first user is throttled.
     */
    @Test
    void aGuesserBehindASharedAddressDoesNotLockOutTheOtherUsersBehindIt() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("data"), "256m", Map.of());
                PythonDevice guesser = PythonDevice.open(temp.resolve("guesser"));
                PythonDevice neighbour = PythonDevice.open(temp.resolve("neighbour"))) {
            for (int i = 0; i < 5; i++) {
                DeviceException error = assertThrows(
                        DeviceException.class, () -> guesser.login(server.endpoint(), TestUsers.ALICE, "guess"));
                assertTrue(error.isAuthFailure(), error::getMessage);
            }
            neighbour.login(server.endpoint(), TestUsers.BOB, TestUsers.BOB_PASSWORD);
            assertEquals(SyncRequired.NO_CHANGES, neighbour.sync());

            DeviceException sixth = assertThrows(
                    DeviceException.class, () -> guesser.login(server.endpoint(), TestUsers.ALICE, "guess"));
            assertTrue(sixth.isAuthFailure(), sixth::getMessage);
            List<String> failures = loginFailures(server);
            assertEquals(6, failures.size(), String.join("\n", failures));
            assertTrue(
                    failures.get(4).endsWith("LOGIN FAILED address=127.0.0.1 user=\"alice\" reason=wrong_password"),
                    failures.get(4));
            assertTrue(
                    failures.get(5).contains("LOGIN FAILED address=127.0.0.1 user=\"alice\" reason=throttled"),
                    failures.get(5));
        }
    }

    private static List<String> loginFailures(OurServerProcess server) throws IOException {
        return Files.readAllLines(server.log()).stream()
                .filter(line -> line.contains("LOGIN FAILED"))
                .toList();
    }
}
