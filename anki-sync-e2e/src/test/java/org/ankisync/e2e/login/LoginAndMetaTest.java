package org.ankisync.e2e.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ankisync.e2e.harness.Clients;
import org.ankisync.e2e.harness.Device;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServerExtension;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The official clients log in to our server and ask it what to do with a new collection. */
class LoginAndMetaTest {
    @TempDir
    static Path temp;

    @RegisterExtension
    static final OurServerExtension OURS = new OurServerExtension();

    @ParameterizedTest
    @EnumSource(Clients.class)
    void loginWithTheRightPasswordReturnsAKey(Clients client) {
        try (Device device = client.open(temp.resolve(client + "-right"))) {
            String key = device.login(OURS.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertFalse(key.isBlank(), "host key");
            // The key works: a sync of an untouched new collection needs nothing.
            assertEquals(SyncRequired.NO_CHANGES, device.sync());
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aWrongPasswordIsAnAuthenticationError(Clients client) {
        try (Device device = client.open(temp.resolve(client + "-wrong"))) {
            DeviceException error = assertThrows(
                    DeviceException.class, () -> device.login(OURS.endpoint(), TestUsers.ALICE, "not-the-password"));
            assertTrue(error.isAuthFailure(), error::getMessage);
            DeviceException unknown = assertThrows(
                    DeviceException.class, () -> device.login(OURS.endpoint(), "nobody", TestUsers.ALICE_PASSWORD));
            assertTrue(unknown.isAuthFailure(), unknown::getMessage);
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aCollectionWithCardsMustBeUploadedToAnEmptyServer(Clients client) {
        try (Device device = client.open(temp.resolve(client + "-upload"))) {
            device.login(OURS.endpoint(), TestUsers.BOB, TestUsers.BOB_PASSWORD);
            device.addBasicNotes(3, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
        }
    }

    /** The same three steps against the official server give the same answers (the oracle agrees). */
    @ParameterizedTest
    @EnumSource(Clients.class)
    void theOfficialServerAnswersTheSame(Clients client) {
        try (SyncServerUnderTest official = OfficialServer.start(temp.resolve("official-" + client));
                Device device = client.open(temp.resolve(client + "-official"))) {
            assertThrows(
                    DeviceException.class,
                    () -> device.login(official.endpoint(), TestUsers.ALICE, "not-the-password"));
            device.login(official.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            assertEquals(SyncRequired.NO_CHANGES, device.sync());
            device.addBasicNotes(3, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
        }
    }
}
