package org.ankisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.ankisync.core.auth.LoginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server keeps its own connection to the account database and remembers
 * keys it has looked up; the command line revokes through another connection
 * (another process). These tests use a second {@link AuthDatabase} on the same
 * file as that other process.
 */
class HostKeyStoreTest {
    private static final LoginContext PHONE = new LoginContext("25.02,abc,linux", "192.0.2.1");

    @TempDir
    Path temp;

    private static HostKeyStore store(AuthDatabase db, Clock clock) {
        return new HostKeyStore(db, clock, user -> Optional.empty());
    }

    @Test
    void aKeyRevokedThroughAnotherConnectionIsRefusedOnItsNextLookup() {
        Path file = temp.resolve("users.db");
        try (AuthDatabase server = AuthDatabase.open(file);
                AuthDatabase cli = AuthDatabase.open(file)) {
            HostKeyStore serving = store(server, Clock.systemUTC());
            String key = serving.issue("carol", PHONE);
            String other = serving.issue("dave", PHONE);
            assertEquals(Optional.of("carol"), serving.resolve(key, PHONE));
            assertEquals(Optional.of("carol"), serving.resolve(key, PHONE));
            assertEquals(Optional.of("dave"), serving.resolve(other, PHONE));

            long id = store(cli, Clock.systemUTC())
                    .list(Optional.of("carol"))
                    .get(0)
                    .id();
            assertTrue(store(cli, Clock.systemUTC()).revoke(id));

            assertEquals(Optional.empty(), serving.resolve(key, PHONE));
            assertEquals(Optional.of("dave"), serving.resolve(other, PHONE));
            assertEquals(1, store(cli, Clock.systemUTC()).revokeAll("dave"));
            assertEquals(Optional.empty(), serving.resolve(other, PHONE));
        }
    }

    @Test
    void theServersOwnLastUseUpdateDoesNotHideALaterRevocation() {
        Path file = temp.resolve("users.db");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (AuthDatabase server = AuthDatabase.open(file);
                AuthDatabase cli = AuthDatabase.open(file)) {
            HostKeyStore serving = store(server, clock);
            String key = serving.issue("carol", PHONE);
            assertEquals(Optional.of("carol"), serving.resolve(key, PHONE));
            clock.advance(HostKeyTokens.TOUCH_INTERVAL);
            assertEquals(Optional.of("carol"), serving.resolve(key, PHONE), "writes the last use");
            assertEquals(
                    clock.instant(),
                    store(cli, clock).list(Optional.empty()).get(0).lastUsed());

            assertEquals(1, store(cli, clock).revokeAll("carol"));
            assertEquals(Optional.empty(), serving.resolve(key, PHONE));
        }
    }

    @Test
    void lastUseIsWrittenAtMostOncePerIntervalUnlessTheAddressChanges() {
        Path file = temp.resolve("users.db");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (AuthDatabase server = AuthDatabase.open(file)) {
            HostKeyStore serving = store(server, clock);
            String key = serving.issue("carol", PHONE);
            Instant issued = clock.instant();
            clock.advance(java.time.Duration.ofSeconds(30));
            serving.resolve(key, PHONE);
            assertEquals(issued, serving.list(Optional.empty()).get(0).lastUsed());
            serving.resolve(key, new LoginContext("25.02,abc,linux", "192.0.2.7"));
            HostKeyRecord moved = serving.list(Optional.empty()).get(0);
            assertEquals(issued.plusSeconds(30), moved.lastUsed());
            assertEquals("192.0.2.7", moved.lastAddress());
        }
    }
}
