package org.ankisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottlerTest {
    /** A clock the test moves; nothing sleeps. */
    private static final class Manual extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private final Manual clock = new Manual();
    private final LoginThrottler throttle = new LoginThrottler(3, Duration.ofSeconds(1), Duration.ofSeconds(5), clock);

    @Test
    void locksAfterTheThresholdAndDoublesUpToTheCeiling() {
        for (int i = 0; i < 2; i++) {
            throttle.failed("alice", "10.0.0.1");
            assertEquals(Optional.empty(), throttle.lockedFor("alice", "10.0.0.1"));
        }
        throttle.failed("alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.lockedFor("alice", "10.0.0.1"));
        // only the pair: the same name from elsewhere and other names from here still get through
        assertEquals(Optional.empty(), throttle.lockedFor("alice", "10.9.9.9"));
        assertEquals(Optional.empty(), throttle.lockedFor("bob", "10.0.0.1"));
        long[] expected = {2, 4, 5, 5};
        for (long seconds : expected) {
            clock.millis += throttle.lockedFor("alice", "10.0.0.1").get().toMillis();
            assertEquals(Optional.empty(), throttle.lockedFor("alice", "10.0.0.1"));
            throttle.failed("alice", "10.0.0.1");
            assertEquals(Optional.of(Duration.ofSeconds(seconds)), throttle.lockedFor("alice", "10.0.0.1"));
        }
    }

    @Test
    void aUserNameIsLockedEverywhereOnlyAfterTheLooseThreshold() {
        int loose = 3 * LoginThrottler.LOOSE_FACTOR;
        for (int i = 0; i < loose - 1; i++) {
            throttle.failed("alice", "10.0.0." + i);
        }
        assertEquals(Optional.empty(), throttle.lockedFor("alice", "10.1.1.1"));
        throttle.failed("alice", "10.0.0.99");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.lockedFor("alice", "10.1.1.1"));
        assertEquals(Optional.empty(), throttle.lockedFor("bob", "10.1.1.1"));
    }

    @Test
    void anAddressIsLockedForAllNamesOnlyAfterTheLooseThreshold() {
        int loose = 3 * LoginThrottler.LOOSE_FACTOR;
        for (int i = 0; i < loose - 1; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }
        assertEquals(Optional.empty(), throttle.lockedFor("carol", "10.0.0.1"));
        throttle.failed("user99", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.lockedFor("carol", "10.0.0.1"));
        assertEquals(Optional.empty(), throttle.lockedFor("carol", "10.0.0.2"));
    }

    @Test
    void anotherUsersSuccessDoesNotClearTheAddressCount() {
        int loose = 3 * LoginThrottler.LOOSE_FACTOR;
        for (int i = 0; i < loose - 1; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }
        throttle.succeeded("mallory", "10.0.0.1");
        throttle.failed("user99", "10.0.0.1");
        assertTrue(throttle.lockedFor("carol", "10.0.0.1").isPresent());
    }

    @Test
    void successForgetsFailures() {
        throttle.failed("alice", "a");
        throttle.failed("alice", "a");
        throttle.succeeded("alice", "a");
        throttle.failed("alice", "a");
        throttle.failed("alice", "a");
        assertEquals(Optional.empty(), throttle.lockedFor("alice", "a"));
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        throttle.failed("alice", "a");
        throttle.failed("alice", "a");
        clock.millis += 5_000;
        throttle.failed("alice", "a");
        assertEquals(Optional.empty(), throttle.lockedFor("alice", "a"));
    }

    @Test
    void zeroTurnsItOff() {
        LoginThrottler off = new LoginThrottler(0, Duration.ofSeconds(1), Duration.ofSeconds(5), clock);
        for (int i = 0; i < 100; i++) {
            off.failed("alice", "a");
        }
        assertEquals(Optional.empty(), off.lockedFor("alice", "a"));
    }
}
