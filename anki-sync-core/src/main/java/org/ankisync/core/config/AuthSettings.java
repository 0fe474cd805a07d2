package org.ankisync.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.ankisync.core.http.TrustedProxies;

/**
 * Account settings: which user store, where, and how logins are throttled.
 *
 * @param store            {@code sqlite} (default), {@code json}, {@code env}, or the name of a
 *                         {@code UserStoreProvider} found with {@link java.util.ServiceLoader}
 *                         ({@code ANKISYNCD_AUTH_STORE})
 * @param jsonPath         the user file of the {@code json} store ({@code ANKISYNCD_AUTH_JSON_PATH})
 * @param trustedProxies   proxies whose {@code X-Forwarded-For} is believed ({@code ANKISYNCD_TRUSTED_PROXIES})
 * @param loginMaxFailures failed logins per (user name, client address) pair before logins are delayed
 *                         (a name from all addresses, an address for all names: 4 times as many);
 *                         0 turns throttling off ({@code ANKISYNCD_LOGIN_MAX_FAILURES})
 * @param loginDelay       the first delay; each further failure doubles it ({@code ANKISYNCD_LOGIN_DELAY_MS})
 * @param loginMaxDelay    the ceiling of the delay ({@code ANKISYNCD_LOGIN_MAX_DELAY_MS})
 */
public record AuthSettings(
        String store,
        Path jsonPath,
        TrustedProxies trustedProxies,
        int loginMaxFailures,
        Duration loginDelay,
        Duration loginMaxDelay) {

    public static final String STORE = "ANKISYNCD_AUTH_STORE";
    public static final String JSON_PATH = "ANKISYNCD_AUTH_JSON_PATH";
    public static final String TRUSTED_PROXIES = "ANKISYNCD_TRUSTED_PROXIES";
    public static final String LOGIN_MAX_FAILURES = "ANKISYNCD_LOGIN_MAX_FAILURES";
    public static final String LOGIN_DELAY_MS = "ANKISYNCD_LOGIN_DELAY_MS";
    public static final String LOGIN_MAX_DELAY_MS = "ANKISYNCD_LOGIN_MAX_DELAY_MS";

    public static final int DEFAULT_LOGIN_MAX_FAILURES = 5;
    public static final long DEFAULT_LOGIN_DELAY_MS = 1_000;
    public static final long DEFAULT_LOGIN_MAX_DELAY_MS = 15 * 60 * 1_000;
    private static final Pattern STORE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public AuthSettings {
        if (store == null || !STORE_NAME.matcher(store).matches()) {
            throw new ConfigException(STORE + " must be sqlite, json, env or the name of a user store provider,"
                    + " got '" + store + "'");
        }
        if (loginMaxFailures < 0 || loginMaxFailures > 1_000_000) {
            throw new ConfigException(LOGIN_MAX_FAILURES + " must be between 0 and 1000000, got " + loginMaxFailures);
        }
        if (loginDelay.isNegative() || loginDelay.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigException(LOGIN_DELAY_MS + " must be between 0 and 86400000, got " + loginDelay.toMillis());
        }
        if (loginMaxDelay.compareTo(loginDelay) < 0 || loginMaxDelay.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigException(LOGIN_MAX_DELAY_MS + " must be between " + LOGIN_DELAY_MS + " ("
                    + loginDelay.toMillis() + ") and 86400000, got " + loginMaxDelay.toMillis());
        }
    }

    static AuthSettings fromSettings(Map<String, String> settings) {
        String store = settings.getOrDefault(STORE, "sqlite").trim();
        Path json = Path.of(settings.getOrDefault(JSON_PATH, "./users.json").trim());
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.parse(settings.getOrDefault(TRUSTED_PROXIES, ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TRUSTED_PROXIES + ": " + e.getMessage());
        }
        int maxFailures = (int) Math.max(
                Integer.MIN_VALUE,
                Math.min(Integer.MAX_VALUE, number(settings, LOGIN_MAX_FAILURES, DEFAULT_LOGIN_MAX_FAILURES)));
        long delay = number(settings, LOGIN_DELAY_MS, DEFAULT_LOGIN_DELAY_MS);
        long maxDelay = number(settings, LOGIN_MAX_DELAY_MS, Math.max(delay, DEFAULT_LOGIN_MAX_DELAY_MS));
        return new AuthSettings(
                store, json, proxies, maxFailures, Duration.ofMillis(delay), Duration.ofMillis(maxDelay));
    }

    private static long number(Map<String, String> settings, String key, long fallback) {
        String raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + raw + "'");
        }
    }
}
