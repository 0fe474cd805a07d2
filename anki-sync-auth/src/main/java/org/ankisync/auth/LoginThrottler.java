package org.ankisync.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ankisync.core.auth.LoginThrottle;

/**
 * Counts failed logins in memory, at three levels, so that one guesser behind
 * a shared address (a school's or a family's NAT) does not lock everybody
 * else behind it out:
 * <ul>
 * <li>a (user name, address) pair is locked after {@code maxFailures} failures
 * in a row: the tight limit, which stops a guesser;</li>
 * <li>a user name, from all addresses together, and an address, for all names
 * together, are locked only after {@link #LOOSE_FACTOR} times as many: they
 * catch guessing spread over many addresses or many names.</li>
 * </ul>
 * While locked, logins are refused with 403 without looking at the password;
 * each further failure doubles the lock from {@code delay} up to
 * {@code maxDelay}. A successful login forgets the failures of its pair and of
 * its user name, but not those of its address (else an attacker with one
 * valid account could wipe the address count between guesses at other
 * accounts). Failures are forgotten after a quiet period of {@code maxDelay}
 * once the lock has ended. Host keys already issued keep working: throttling
 * only concerns logins.
 */
public final class LoginThrottler implements LoginThrottle {
    /** How many more failures a user name or an address may collect, in all, than one pair. */
    public static final int LOOSE_FACTOR = 4;

    private static final int SWEEP_ABOVE = 10_000;

    private final int maxFailures;
    private final long delayMillis;
    private final long maxDelayMillis;
    private final Clock clock;
    private final Map<String, Entry> byPair = new ConcurrentHashMap<>();
    private final Map<String, Entry> byUser = new ConcurrentHashMap<>();
    private final Map<String, Entry> byAddress = new ConcurrentHashMap<>();

    public LoginThrottler(int maxFailures, Duration delay, Duration maxDelay, Clock clock) {
        this.maxFailures = maxFailures;
        this.delayMillis = delay.toMillis();
        this.maxDelayMillis = Math.max(maxDelay.toMillis(), delayMillis);
        this.clock = clock;
    }

    @Override
    public Optional<Duration> lockedFor(String username, String address) {
        if (maxFailures == 0) {
            return Optional.empty();
        }
        long now = clock.millis();
        long until = Math.max(
                lockedUntil(byPair, pair(username, address), now),
                Math.max(lockedUntil(byUser, username, now), lockedUntil(byAddress, address, now)));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    @Override
    public void failed(String username, String address) {
        if (maxFailures == 0) {
            return;
        }
        long now = clock.millis();
        long loose = (long) maxFailures * LOOSE_FACTOR;
        record(byPair, pair(username, address), now, maxFailures);
        record(byUser, username, now, loose);
        record(byAddress, address, now, loose);
    }

    @Override
    public void succeeded(String username, String address) {
        byPair.remove(pair(username, address));
        byUser.remove(username);
    }

    /** A NUL cannot occur in a valid user name, so the two parts cannot run into each other. */
    private static String pair(String username, String address) {
        return username + '\0' + address;
    }

    private long lockedUntil(Map<String, Entry> map, String key, long now) {
        Entry e = map.get(key);
        if (e == null) {
            return 0;
        }
        synchronized (e) {
            if (e.forgettable(now, maxDelayMillis)) {
                map.remove(key, e);
                return 0;
            }
            return e.lockedUntil;
        }
    }

    private void record(Map<String, Entry> map, String key, long now, long threshold) {
        if (map.size() > SWEEP_ABOVE) {
            map.entrySet().removeIf(entry -> {
                synchronized (entry.getValue()) {
                    return entry.getValue().lockedUntil <= now;
                }
            });
        }
        Entry e = map.computeIfAbsent(key, k -> new Entry());
        synchronized (e) {
            if (e.forgettable(now, maxDelayMillis)) {
                e.failures = 0;
                e.lockedUntil = 0;
            }
            e.failures++;
            e.lastFailure = now;
            if (e.failures >= threshold) {
                long delay = delayMillis;
                for (long i = threshold; i < e.failures && delay < maxDelayMillis; i++) {
                    delay *= 2;
                }
                e.lockedUntil = now + Math.min(delay, maxDelayMillis);
            }
        }
    }

    private static final class Entry {
        long failures;
        long lastFailure;
        long lockedUntil;

        boolean forgettable(long now, long quiet) {
            return now >= Math.max(lockedUntil, lastFailure) + quiet;
        }
    }
}
