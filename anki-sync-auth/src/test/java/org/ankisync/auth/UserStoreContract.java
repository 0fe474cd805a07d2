package org.ankisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;
import org.junit.jupiter.api.Test;

/**
 * What every writable {@link AccountStore}'s users must do, whichever database
 * keeps them. A store's test extends this and says how to open the store; each
 * test method starts from an empty store, and every {@link #open} of one test
 * method opens the same data (as the server and the command line do).
 */
public abstract class UserStoreContract {
    /** For the subclasses, one per store implementation. */
    protected UserStoreContract() {}

    protected static final PasswordPolicy CHEAP = new PasswordPolicy(1000);
    private static final LoginContext DEVICE = new LoginContext("25.02,abc,linux", "192.0.2.1");

    /** Opens the store of this test method (cheap hashing, the system clock, no credential fingerprints). */
    protected abstract AccountStore open(
            Clock clock, PasswordPolicy hashing, Function<String, Optional<String>> credentials);

    /** What the store keeps as a user's password, read directly from its database. */
    protected abstract Optional<String> storedPassword(String username);

    private AccountStore open() {
        return open(Clock.systemUTC(), CHEAP, user -> Optional.empty());
    }

    @Test
    void addedUsersLogInWithTheirPasswordOnly() {
        try (AccountStore store = open()) {
            UserStore users = store.users();
            users.add("carol", "pw1");
            assertTrue(users.exists("carol"));
            assertTrue(users.verifyPassword("carol", "pw1"));
            assertFalse(users.verifyPassword("carol", "pw2"));
            assertFalse(users.verifyPassword("carol", ""));
            assertFalse(users.verifyPassword("nobody", "pw1"));
            assertFalse(users.exists("nobody"));
        }
    }

    @Test
    void anExistingNameABadNameOrAnEmptyPasswordIsRefused() {
        try (AccountStore store = open()) {
            UserStore users = store.users();
            users.add("carol", "pw1");
            assertThrows(IllegalArgumentException.class, () -> users.add("carol", "other"));
            assertTrue(users.verifyPassword("carol", "pw1"), "the first password stays");
            assertThrows(IllegalArgumentException.class, () -> users.add("../etc", "pw"));
            assertThrows(IllegalArgumentException.class, () -> users.add("", "pw"));
            assertThrows(IllegalArgumentException.class, () -> users.add("dave", ""));
            assertEquals(List.of("carol"), users.list());
        }
    }

    @Test
    void namesAreCaseSensitiveAndListedInCodePointOrder() {
        try (AccountStore store = open()) {
            UserStore users = store.users();
            for (String name : List.of("bob", "alice", "Alice", "Zed", "émile", "_x")) {
                users.add(name, "pw-" + name);
            }
            assertEquals(List.of("Alice", "Zed", "_x", "alice", "bob", "émile"), users.list());
            assertFalse(users.exists("BOB"));
            assertFalse(users.verifyPassword("ALICE", "pw-alice"));
            assertTrue(users.verifyPassword("Alice", "pw-Alice"));
        }
    }

    @Test
    void passwordsAreKeptAsSaltedPbkdf2PhcStrings() {
        try (AccountStore store = open()) {
            store.users().add("carol", "same password");
            store.users().add("dave", "same password");
        }
        String carol = storedPassword("carol").orElseThrow();
        String dave = storedPassword("dave").orElseThrow();
        assertTrue(carol.startsWith("$pbkdf2-sha256$i=1000,l=32$"), carol);
        assertFalse(carol.contains("same password"));
        assertNotEquals(carol, dave, "each hash has its own salt");
        assertEquals(Optional.empty(), Pbkdf2.problem(carol));
        assertTrue(Pbkdf2.verify(carol, "same password"));
    }

    @Test
    void aNewPasswordReplacesTheOldAndRevokesTheUsersKeys() {
        try (AccountStore store = open()) {
            store.users().add("carol", "pw1");
            store.users().add("dave", "pw");
            String carolsKey = store.keys().issue("carol", DEVICE);
            String davesKey = store.keys().issue("dave", DEVICE);
            String before = storedPassword("carol").orElseThrow();

            assertTrue(store.users().changePassword("carol", "pw2"));
            assertTrue(store.users().verifyPassword("carol", "pw2"));
            assertFalse(store.users().verifyPassword("carol", "pw1"));
            assertNotEquals(before, storedPassword("carol").orElseThrow());
            assertEquals(Optional.empty(), store.keys().resolve(carolsKey, DEVICE));
            assertEquals(List.of(), store.keys().list(Optional.of("carol")));
            assertEquals(Optional.of("dave"), store.keys().resolve(davesKey, DEVICE), "other users keep theirs");

            assertFalse(store.users().changePassword("nobody", "pw"));
            assertFalse(store.users().exists("nobody"));
            assertThrows(IllegalArgumentException.class, () -> store.users().changePassword("carol", ""));
            assertTrue(store.users().verifyPassword("carol", "pw2"));
        }
    }

    @Test
    void removingAUserRevokesTheirKeysAndANewAccountOfTheSameNameStartsWithoutKeys() {
        try (AccountStore store = open()) {
            store.users().add("carol", "pw1");
            String key = store.keys().issue("carol", DEVICE);
            assertTrue(store.users().remove("carol"));
            assertFalse(store.users().exists("carol"));
            assertFalse(store.users().verifyPassword("carol", "pw1"));
            assertEquals(Optional.empty(), store.keys().resolve(key, DEVICE));
            assertFalse(store.users().remove("carol"));

            // A key recorded while no account had the name (as a stale row would be) dies with a new account.
            String stale = store.keys().issue("carol", DEVICE);
            store.users().add("carol", "pw2");
            assertEquals(Optional.empty(), store.keys().resolve(stale, DEVICE));
            assertEquals(List.of(), store.keys().list(Optional.of("carol")));
        }
    }

    @Test
    void everyOpeningSeesTheOthersChangesAtOnce() {
        try (AccountStore server = open();
                AccountStore commandLine = open()) {
            commandLine.users().add("carol", "pw1");
            assertTrue(server.users().verifyPassword("carol", "pw1"));
            String key = server.keys().issue("carol", DEVICE);
            assertEquals(1, commandLine.keys().list(Optional.of("carol")).size());
            commandLine.users().changePassword("carol", "pw2");
            assertTrue(server.users().verifyPassword("carol", "pw2"));
            assertEquals(Optional.empty(), server.keys().resolve(key, DEVICE));
            commandLine.users().remove("carol");
            assertFalse(server.users().exists("carol"));
        }
    }
}
