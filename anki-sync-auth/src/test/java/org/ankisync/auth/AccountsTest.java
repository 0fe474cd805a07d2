package org.ankisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {
    private static final PasswordPolicy CHEAP = new PasswordPolicy(1000);
    private static final LoginContext DEVICE = new LoginContext("25.02,abc,linux", "192.0.2.1");

    @TempDir
    Path temp;

    private Map<String, String> settings(String store) {
        Map<String, String> s = new HashMap<>();
        s.put("ANKISYNCD_AUTH_DB_PATH", temp.resolve("users.db").toString());
        s.put("ANKISYNCD_AUTH_JSON_PATH", temp.resolve("users.json").toString());
        s.put("ANKISYNCD_AUTH_STORE", store);
        s.put("SYNC_USER1", "envy:env-pass");
        return s;
    }

    private Accounts open(Map<String, String> settings) {
        return Accounts.fromConfig(ServerConfig.fromSettings(settings), settings, Clock.systemUTC(), CHEAP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "json"})
    void usersAndKeysLiveAndDieTogether(String store) throws Exception {
        try (Accounts accounts = open(settings(store))) {
            accounts.users().add("carol", "pw1");
            assertThrows(IllegalArgumentException.class, () -> accounts.users().add("carol", "other"));
            assertTrue(accounts.users().verifyPassword("carol", "pw1"));
            assertFalse(accounts.users().verifyPassword("carol", "pw2"));
            assertEquals(List.of("carol", "envy"), accounts.users().list());
            if (store.equals("sqlite")) {
                String stored = Files.readString(temp.resolve("users.db"), StandardCharsets.ISO_8859_1);
                assertFalse(stored.contains("pw1"));
            }

            String phone = accounts.hostKeys().issue("carol", DEVICE);
            String laptop = accounts.hostKeys().issue("carol", DEVICE);
            assertNotEquals(phone, laptop);
            assertTrue(phone.length() >= 32);
            assertEquals(Optional.of("carol"), accounts.hostKeys().resolve(phone, DEVICE));
            List<HostKeyRecord> keys = accounts.keys().list(Optional.of("carol"));
            assertEquals(2, keys.size());
            assertEquals("192.0.2.1", keys.get(0).lastAddress());
            assertEquals("25.02,abc,linux", keys.get(0).clientVersion());

            assertTrue(accounts.keys().revoke(keys.get(0).id()));
            assertEquals(Optional.empty(), accounts.hostKeys().resolve(phone, DEVICE));
            assertEquals(Optional.of("carol"), accounts.hostKeys().resolve(laptop, DEVICE));

            assertTrue(accounts.users().changePassword("carol", "pw2"));
            assertEquals(Optional.empty(), accounts.hostKeys().resolve(laptop, DEVICE));
            assertTrue(accounts.users().verifyPassword("carol", "pw2"));

            String again = accounts.hostKeys().issue("carol", DEVICE);
            assertTrue(accounts.users().remove("carol"));
            assertEquals(Optional.empty(), accounts.hostKeys().resolve(again, DEVICE));
            assertFalse(accounts.users().exists("carol"));
            assertFalse(accounts.users().remove("carol"));
        }
    }

    @Test
    void keysSurviveReopening() {
        String key;
        try (Accounts accounts = open(settings("sqlite"))) {
            accounts.users().add("dave", "pw");
            key = accounts.hostKeys().issue("dave", DEVICE);
        }
        try (Accounts accounts = open(settings("sqlite"))) {
            assertEquals(Optional.of("dave"), accounts.hostKeys().resolve(key, DEVICE));
        }
    }

    @Test
    void environmentUsersKeepTheOfficialKeyAndTheirKeysFollowTheVariable() {
        Map<String, String> s = settings("sqlite");
        String random;
        try (Accounts accounts = open(s)) {
            assertTrue(accounts.users().verifyPassword("envy", "env-pass"));
            // sha1("envy:env-pass"), as the official server derives it
            String official = EnvironmentUsers.sha1Hex("envy:env-pass");
            assertEquals(Optional.of("envy"), accounts.hostKeys().resolve(official, DEVICE));
            random = accounts.hostKeys().issue("envy", DEVICE);
            assertEquals(Optional.of("envy"), accounts.hostKeys().resolve(random, DEVICE));
            assertThrows(IllegalArgumentException.class, () -> accounts.users().remove("envy"));
            assertThrows(IllegalArgumentException.class, () -> accounts.users().add("envy", "x"));
        }
        s.put("SYNC_USER1", "envy:new-pass");
        try (Accounts accounts = open(s)) {
            assertEquals(Optional.empty(), accounts.hostKeys().resolve(random, DEVICE));
            assertEquals(
                    Optional.empty(), accounts.hostKeys().resolve(EnvironmentUsers.sha1Hex("envy:env-pass"), DEVICE));
        }
    }

    @Test
    void hashedEnvironmentPasswords() {
        Map<String, String> s = settings("env");
        s.put("SYNC_USER1", "hashy:" + Pbkdf2.hash("h-pass", 1000));
        s.put("PASSWORDS_HASHED", "");
        try (Accounts accounts = open(s)) {
            assertTrue(accounts.users().verifyPassword("hashy", "h-pass"));
            assertFalse(accounts.users().verifyPassword("hashy", "nope"));
            assertFalse(accounts.users().verifyPassword("nobody", "h-pass"));
            assertThrows(
                    UnsupportedOperationException.class, () -> accounts.users().add("new", "pw"));
        }
    }

    @Test
    void theCommandLine() {
        Map<String, String> s = settings("sqlite");
        assertEquals(0, cli(s, "erin-pass\n", "user", "add", "erin", "--password-stdin").code);
        Run list = cli(s, "", "user", "list");
        assertEquals("envy\t(SYNC_USER1)\nerin\n", list.out);
        try (Accounts accounts = open(s)) {
            assertTrue(accounts.users().verifyPassword("erin", "erin-pass"));
            accounts.hostKeys().issue("erin", DEVICE);
        }
        Run keys = cli(s, "", "key", "list");
        assertTrue(keys.out.contains("\terin\t25.02,abc,linux\t"), keys.out);
        assertEquals(0, cli(s, "", "key", "revoke", "--user", "erin").code);
        assertEquals(1, cli(s, "", "key", "revoke", "999").code);
        assertEquals(1, cli(s, "", "user", "remove", "envy").code);
        assertEquals(0, cli(s, "", "user", "remove", "erin").code);
        assertEquals(1, cli(s, "", "user", "remove", "erin").code);
        assertEquals(2, cli(s, "", "user", "frobnicate").code);
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
