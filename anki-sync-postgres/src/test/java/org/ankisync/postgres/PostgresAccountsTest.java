package org.ankisync.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.AccountsCommand;
import org.ankisync.auth.PasswordPolicy;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ANKISYNCD_AUTH_STORE=postgres} through the same wiring as the server
 * ({@link Accounts#fromConfig}, which finds the provider with ServiceLoader) and
 * the account command line.
 */
class PostgresAccountsTest {
    private static final LoginContext DEVICE = new LoginContext("26.09.3,abc,linux", "192.0.2.1");
    private static PostgresServer server;

    @TempDir
    Path temp;

    private PostgresServer.Database database;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newDatabase() {
        database = server.createDatabase();
    }

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>(database.settings());
        s.put("ANKISYNCD_AUTH_STORE", "postgres");
        s.put("ANKISYNCD_AUTH_DB_PATH", temp.resolve("users.db").toString());
        s.put("ANKISYNCD_COLLECTIONS_PATH", temp.resolve("collections").toString());
        s.put("SYNC_USER1", "envy:env-pass");
        return s;
    }

    private static Accounts open(Map<String, String> settings) {
        return Accounts.fromConfig(
                ServerConfig.fromSettings(settings), settings, Clock.systemUTC(), new PasswordPolicy(1000));
    }

    @Test
    void theServersWiringKeepsUsersAndKeysInPostgresOnly() throws SQLException {
        try (Accounts accounts = open(settings())) {
            assertEquals("postgres", accounts.storeName());
            assertTrue(accounts.isWritable());
            accounts.users().add("carol", "pw1");
            assertEquals(List.of("carol", "envy"), accounts.users().list());
            String key = accounts.hostKeys().issue("carol", DEVICE);
            assertEquals(Optional.of("carol"), accounts.hostKeys().resolve(key, DEVICE));
            // SYNC_USERn users work beside the store, with keys recorded in it too.
            assertTrue(accounts.users().verifyPassword("envy", "env-pass"));
            accounts.hostKeys().issue("envy", DEVICE);
        }
        assertFalse(Files.exists(temp.resolve("users.db")), "no local account database with postgres");
        assertEquals(1, count("SELECT count(*) FROM accounts.users"));
        assertEquals(2, count("SELECT count(*) FROM accounts.host_keys"));
    }

    @Test
    void theCommandLineManagesPostgresUsersAndKeys() throws SQLException {
        Map<String, String> s = settings();
        assertEquals(0, cli(s, "erin-pass\n", "user", "add", "erin", "--password-stdin").code);
        assertEquals("envy\t(SYNC_USER1)\nerin\n", cli(s, "", "user", "list").out);
        String key;
        try (Accounts accounts = open(s)) {
            assertTrue(accounts.users().verifyPassword("erin", "erin-pass"));
            key = accounts.hostKeys().issue("erin", DEVICE);
        }
        Run keys = cli(s, "", "key", "list", "erin");
        assertTrue(keys.out.contains("\terin\t26.09.3,abc,linux\t"), keys.out);
        String id = keys.out
                .lines()
                .filter(l -> l.contains("\terin\t"))
                .findFirst()
                .orElseThrow()
                .split("\t")[0];
        assertEquals(0, cli(s, "", "key", "revoke", id).code);
        assertEquals(1, cli(s, "", "key", "revoke", id).code, "already revoked");
        try (Accounts accounts = open(s)) {
            assertEquals(Optional.empty(), accounts.hostKeys().resolve(key, DEVICE));
        }
        assertEquals(0, cli(s, "new-pass\n", "user", "passwd", "erin", "--password-stdin").code);
        try (Accounts accounts = open(s)) {
            assertTrue(accounts.users().verifyPassword("erin", "new-pass"));
        }
        assertEquals(0, cli(s, "", "user", "remove", "erin").code);
        assertEquals(1, cli(s, "", "user", "remove", "erin").code);
        assertEquals(0, count("SELECT count(*) FROM accounts.users"));
    }

    @Test
    void aMissingOrForeignUrlIsAConfigurationErrorAndABadPasswordAFailure() {
        Map<String, String> s = settings();
        s.remove("ANKISYNCD_DATABASE_URL");
        ConfigException missing = assertThrows(ConfigException.class, () -> open(s));
        assertTrue(missing.getMessage().contains("ANKISYNCD_DATABASE_URL"), missing.getMessage());
        Run run = cli(s, "", "user", "list");
        assertEquals(2, run.code);
        assertTrue(run.err.contains("ANKISYNCD_DATABASE_URL"), run.err);

        s.put("ANKISYNCD_DATABASE_URL", "jdbc:mysql://127.0.0.1/x");
        assertThrows(ConfigException.class, () -> open(s));

        Map<String, String> wrong = settings();
        wrong.put("ANKISYNCD_DATABASE_PASSWORD", "wrong");
        Run refused = cli(wrong, "", "user", "list");
        assertEquals(1, refused.code);
        assertTrue(refused.err.contains("password authentication failed"), refused.err);
        assertFalse(refused.err.contains("wrong"), "the password is not echoed: " + refused.err);
    }

    private long count(String query) throws SQLException {
        try (Connection c = database.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run cli(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AccountsCommand.run(
                args,
                env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
