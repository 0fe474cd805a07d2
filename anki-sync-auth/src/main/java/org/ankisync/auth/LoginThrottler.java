package org.ankisync.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ankisync.core.auth.LoginThrottle;

/**
 * Counts failed logins per user name and per client address, in memory. After
 * {@code maxFailures} failures in a row, logins for that name (or from that
 * address) are refused with 403, without looking at the password, for
 * {@code delay}; every further failure after that doubles the delay, up to
 * {@code maxDelay}. A successful login forgets the failures of its name and
 * address; failures are also forgotten after a quiet period of {@code maxDelay}
 * once the lock has ended. Host keys that were already issued keep working:
 * throttling only concerns logins.
 */
public final class LoginThrottler implements LoginThrottle {
    private static final int SWEEP_ABOVE = 10_000;

    private final int maxFailures;
    private final long delayMillis;
    private final long maxDelayMillis;
    private final Clock clock;
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
        long until = Math.max(lockedUntil(byUser, username, now), lockedUntil(byAddress, address, now));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    @Override
    public void failed(String username, String address) {
        if (maxFailures == 0) {
            return;
        }
        long now = clock.millis();
        record(byUser, username, now);
        record(byAddress, address, now);
    }

    @Override
    public void succeeded(String username, String address) {
        byUser.remove(username);
        byAddress.remove(address);
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

    private void record(Map<String, Entry> map, String key, long now) {
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
            if (e.failures >= maxFailures) {
                long delay = delayMillis;
                for (int i = maxFailures; i < e.failures && delay < maxDelayMillis; i++) {
                    delay *= 2;
                }
                e.lockedUntil = now + Math.min(delay, maxDelayMillis);
            }
        }
    }

    private static final class Entry {
        int failures;
        long lastFailure;
        long lockedUntil;

        boolean forgettable(long now, long quiet) {
            return now >= Math.max(lockedUntil, lastFailure) + quiet;
        }
    }
}
