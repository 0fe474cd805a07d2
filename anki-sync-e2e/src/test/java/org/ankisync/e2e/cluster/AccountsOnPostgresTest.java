package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.Device.Counts;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts in PostgreSQL as an administrator runs them: the launcher jar's
 * account command line ({@code java -jar ankisyncd.jar user ...}) and the
 * launcher itself, both with {@code ANKISYNCD_AUTH_STORE=postgres}, against a
 * real PostgreSQL; the official client logs in, syncs, and is refused at once
 * when the command line revokes its key or changes the password.
 */
class AccountsOnPostgresTest {
    private static PostgresServer postgres;

    @TempDir
    Path temp;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void theCommandLineManagesAccountsThatTheServerAndTheOfficialClientUse() throws SQLException {
        PostgresServer.Database database = postgres.createDatabase();
        Map<String, String> settings = new HashMap<>(database.settings());
        settings.put("ANKISYNCD_AUTH_STORE", "postgres");

        // Before any server ran: the command line migrates the empty database and adds the user.
        LauncherCli.addUser(settings, "carol", "carol-pass");
        assertEquals(
                1,
                count(
                        database,
                        "SELECT count(*) FROM accounts.users WHERE name = 'carol'"
                                + " AND password LIKE '$pbkdf2-sha256$i=600000,l=32$%'"));

        Path data = temp.resolve("data");
        try (OurServerProcess server = OurServerProcess.start(data, "256m", settings);
                PythonDevice phone = PythonDevice.open(temp.resolve("phone"));
                PythonDevice laptop = PythonDevice.open(temp.resolve("laptop"))) {
            Map<String, String> beside = new HashMap<>(server.environment());
            String users =
                    LauncherCli.run(beside, "", "user", "list").requireSuccess().output();
            assertTrue(users.contains("carol\n"), users);

            String phoneKey = phone.login(server.endpoint(), "carol", "carol-pass");
            String laptopKey = laptop.login(server.endpoint(), "carol", "carol-pass");
            assertNotEquals(phoneKey, laptopKey);
            phone.addBasicNotes(2, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, phone.sync());
            phone.fullSync(true);
            assertEquals(SyncRequired.FULL_DOWNLOAD, laptop.sync());
            laptop.fullSync(false);
            assertEquals(new Counts(2, 2, 0), laptop.counts());

            // The keys are in PostgreSQL (as hashes, with the official client's version and address).
            assertEquals(
                    0,
                    count(
                            database,
                            "SELECT count(*) FROM accounts.host_keys WHERE key_sha256 IN (?, ?)",
                            phoneKey,
                            laptopKey),
                    "keys are stored as hashes only");
            assertEquals(
                    2,
                    count(
                            database,
                            "SELECT count(*) FROM accounts.host_keys WHERE username = 'carol'"
                                    + " AND last_address = '127.0.0.1' AND client_version LIKE '%26.09.3%'"));

            // The phone logged in first, so its key is the first of carol's in the list.
            String listing = LauncherCli.run(beside, "", "key", "list", "carol")
                    .requireSuccess()
                    .output();
            List<String> rows =
                    listing.lines().filter(l -> l.contains("\tcarol\t")).toList();
            assertEquals(2, rows.size(), listing);
            LauncherCli.run(beside, "", "key", "revoke", rows.get(0).split("\t")[0])
                    .requireSuccess();

            DeviceException revoked = assertThrows(DeviceException.class, phone::sync);
            assertTrue(revoked.isAuthFailure(), revoked::getMessage);
            laptop.addBasicNotes(1, "Default");
            assertEquals(SyncRequired.NO_CHANGES, laptop.sync(), "the other device keeps syncing");

            // A new password logs every device out; the new one logs in and gets the laptop's note.
            LauncherCli.run(beside, "carol-new\n", "user", "passwd", "carol", "--password-stdin")
                    .requireSuccess();
            DeviceException loggedOut = assertThrows(DeviceException.class, laptop::sync);
            assertTrue(loggedOut.isAuthFailure(), loggedOut::getMessage);
            DeviceException oldPassword =
                    assertThrows(DeviceException.class, () -> phone.login(server.endpoint(), "carol", "carol-pass"));
            assertTrue(oldPassword.isAuthFailure(), oldPassword::getMessage);
            phone.login(server.endpoint(), "carol", "carol-new");
            assertEquals(SyncRequired.NO_CHANGES, phone.sync());
            assertEquals(3, phone.counts().notes());
        }
        assertFalse(Files.exists(data.resolveSibling("users.db")), "no SQLite account database was made");
    }

    private static long count(PostgresServer.Database database, String query, String... parameters)
            throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement s = c.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
