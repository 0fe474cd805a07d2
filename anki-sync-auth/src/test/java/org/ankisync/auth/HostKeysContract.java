package org.ankisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.auth.LoginContext;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore}'s host keys must do, whichever database keeps
 * them. A store's test extends this; each test method starts from an empty
 * store, and every {@link #open} of one test method opens the same data.
 */
public abstract class HostKeysContract {
    /** For the subclasses, one per store implementation. */
    protected HostKeysContract() {}

    private static final PasswordPolicy CHEAP = new PasswordPolicy(1000);
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final LoginContext PHONE = new LoginContext("25.02,abc,android", "192.0.2.1");
    private static final LoginContext LAPTOP = new LoginContext("25.02,def,linux", "198.51.100.7");

    protected abstract AccountStore open(
            Clock clock, PasswordPolicy hashing, Function<String, Optional<String>> credentials);

    /** The stored form of every issued key, in the order issued, read directly from the database. */
    protected abstract List<String> storedKeys();

    private final MutableClock clock = new MutableClock(START);
    private final Map<String, String> fingerprints = new HashMap<>();

    private AccountStore open() {
        return open(clock, CHEAP, user -> Optional.ofNullable(fingerprints.get(user)));
    }

    @Test
    void eachLoginGetsItsOwnRandomKeyAndOnlyItsHashIsStored() {
        try (AccountStore store = open()) {
            String phone = store.keys().issue("carol", PHONE);
            String laptop = store.keys().issue("carol", LAPTOP);
            assertNotEquals(phone, laptop);
            assertTrue(phone.matches("[0-9a-f]{64}"), phone);
            assertEquals(Optional.of("carol"), store.keys().resolve(phone, PHONE));
            assertEquals(Optional.of("carol"), store.keys().resolve(laptop));
            assertEquals(List.of(HostKeyTokens.sha256(phone), HostKeyTokens.sha256(laptop)), storedKeys());
            assertFalse(storedKeys().contains(phone));
        }
    }

    @Test
    void unknownEmptyAndOversizedKeysResolveToNobody() {
        try (AccountStore store = open()) {
            String key = store.keys().issue("carol", PHONE);
            assertEquals(Optional.empty(), store.keys().resolve(key.toUpperCase(), PHONE));
            assertEquals(
                    Optional.empty(),
                    store.keys().resolve(HostKeyTokens.sha256(key), PHONE),
                    "the stored hash is not a key");
            assertEquals(Optional.empty(), store.keys().resolve("", PHONE));
            assertEquals(Optional.empty(), store.keys().resolve(null, PHONE));
            assertEquals(Optional.empty(), store.keys().resolve("a".repeat(257), PHONE));
        }
    }

    @Test
    void aRecordKeepsTheClientTheFirstAndTheLastUseAndAddress() {
        try (AccountStore store = open()) {
            String key = store.keys().issue("carol", PHONE);
            HostKeyRecord issued = store.keys().list(Optional.of("carol")).get(0);
            assertEquals("carol", issued.user());
            assertEquals("25.02,abc,android", issued.clientVersion());
            assertEquals(START, issued.created());
            assertEquals(START, issued.lastUsed());
            assertEquals("192.0.2.1", issued.firstAddress());
            assertEquals("192.0.2.1", issued.lastAddress());

            // Uses from the same address are written at most once a minute...
            clock.advance(Duration.ofSeconds(30));
            store.keys().resolve(key, PHONE);
            assertEquals(START, store.keys().list(Optional.of("carol")).get(0).lastUsed());
            clock.advance(Duration.ofSeconds(31));
            store.keys().resolve(key, PHONE);
            assertEquals(
                    START.plusSeconds(61),
                    store.keys().list(Optional.of("carol")).get(0).lastUsed());

            // ...and at once from a new address; the first address stays.
            clock.advance(Duration.ofSeconds(5));
            store.keys().resolve(key, new LoginContext("25.02,abc,android", "203.0.113.9"));
            HostKeyRecord moved = store.keys().list(Optional.of("carol")).get(0);
            assertEquals(START.plusSeconds(66), moved.lastUsed());
            assertEquals("203.0.113.9", moved.lastAddress());
            assertEquals("192.0.2.1", moved.firstAddress());
            assertEquals(START, moved.created());
        }
    }

    @Test
    void longClientTextsAreCut() {
        try (AccountStore store = open()) {
            String key = store.keys().issue("carol", new LoginContext("v".repeat(5000), "a".repeat(5000)));
            HostKeyRecord record = store.keys().list(Optional.empty()).get(0);
            assertEquals(200, record.clientVersion().length());
            assertEquals(200, record.lastAddress().length());
            assertEquals(Optional.of("carol"), store.keys().resolve(key, PHONE));
        }
    }

    @Test
    void keysAreListedOldestFirstAllOrOneUsers() {
        try (AccountStore store = open()) {
            store.keys().issue("carol", PHONE);
            clock.advance(Duration.ofMinutes(1));
            store.keys().issue("dave", PHONE);
            clock.advance(Duration.ofMinutes(1));
            store.keys().issue("carol", LAPTOP);
            List<HostKeyRecord> all = store.keys().list(Optional.empty());
            assertEquals(
                    List.of("carol", "dave", "carol"),
                    all.stream().map(HostKeyRecord::user).toList());
            assertTrue(all.get(0).id() < all.get(1).id()
                    && all.get(1).id() < all.get(2).id());
            List<HostKeyRecord> carols = store.keys().list(Optional.of("carol"));
            assertEquals(
                    List.of("25.02,abc,android", "25.02,def,linux"),
                    carols.stream().map(HostKeyRecord::clientVersion).toList());
            assertEquals(List.of(), store.keys().list(Optional.of("erin")));
        }
    }

    @Test
    void revokingOneKeyLogsOutThatDeviceOnly() {
        try (AccountStore store = open()) {
            String phone = store.keys().issue("carol", PHONE);
            String laptop = store.keys().issue("carol", LAPTOP);
            long phoneId = store.keys().list(Optional.of("carol")).get(0).id();
            assertTrue(store.keys().revoke(phoneId));
            assertEquals(Optional.empty(), store.keys().resolve(phone, PHONE));
            assertEquals(Optional.of("carol"), store.keys().resolve(laptop, LAPTOP));
            assertFalse(store.keys().revoke(phoneId), "already revoked");
            assertFalse(store.keys().revoke(999_999));
        }
    }

    @Test
    void revokingAUsersKeysLeavesOtherUsersAlone() {
        try (AccountStore store = open()) {
            store.keys().issue("carol", PHONE);
            store.keys().issue("carol", LAPTOP);
            String daves = store.keys().issue("dave", PHONE);
            assertEquals(2, store.keys().revokeAll("carol"));
            assertEquals(0, store.keys().revokeAll("carol"));
            assertEquals(List.of(), store.keys().list(Optional.of("carol")));
            assertEquals(Optional.of("dave"), store.keys().resolve(daves, PHONE));
        }
    }

    @Test
    void aKeyIssuedUnderACredentialFingerprintDiesWhenTheFingerprintChanges() {
        fingerprints.put("envy", "fingerprint-1");
        try (AccountStore store = open()) {
            String envys = store.keys().issue("envy", PHONE);
            String carols = store.keys().issue("carol", PHONE);
            assertEquals(Optional.of("envy"), store.keys().resolve(envys, PHONE));
            fingerprints.put("envy", "fingerprint-2");
            assertEquals(Optional.empty(), store.keys().resolve(envys, PHONE));
            fingerprints.remove("envy");
            assertEquals(Optional.empty(), store.keys().resolve(envys, PHONE));
            assertEquals(Optional.of("carol"), store.keys().resolve(carols, PHONE));
        }
    }

    @Test
    void keysSurviveReopeningAndAreSharedBetweenOpenings() {
        String key;
        try (AccountStore store = open()) {
            key = store.keys().issue("dave", PHONE);
        }
        try (AccountStore server = open();
                AccountStore commandLine = open()) {
            assertEquals(Optional.of("dave"), server.keys().resolve(key, PHONE));
            long id = commandLine.keys().list(Optional.of("dave")).get(0).id();
            assertTrue(commandLine.keys().revoke(id));
            assertEquals(Optional.empty(), server.keys().resolve(key, PHONE), "revoked for every opening at once");
        }
    }
}
