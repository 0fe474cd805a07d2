package org.ankisync.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.ankisync.core.http.TrustedProxies;

/**
 * Settings for running the server: readiness, metrics access, log format and
 * shutdown. Read from the same merged settings as {@link ServerConfig}
 * ({@link ServerConfig#settings(Map)}), kept apart so that the protocol's
 * configuration does not grow with every operational knob.
 *
 * @param minFreeDiskBytes  {@code /ready} fails below this much free space in the collections folder
 *                          ({@code ANKISYNCD_MIN_FREE_DISK_MB})
 * @param shutdownTimeout   how long running requests may take to finish after SIGTERM
 *                          ({@code ANKISYNCD_SHUTDOWN_TIMEOUT_SECONDS})
 * @param metricsEnabled    whether {@code /metrics} is served at all ({@code ANKISYNCD_METRICS}: on, off)
 * @param metricsAllowed    addresses (or CIDR ranges) that may read {@code /metrics} without a token
 *                          ({@code ANKISYNCD_METRICS_ALLOW}, default loopback)
 * @param metricsToken      a bearer token that opens {@code /metrics} from any address; empty: none
 *                          ({@code ANKISYNCD_METRICS_TOKEN})
 * @param jsonLogs          one JSON object per log line ({@code ANKISYNCD_LOG_FORMAT=json}) instead of text
 * @param warmupSyncs       how many throwaway syncs the launcher runs before it listens, so that the
 *                          JVM has compiled the sync path ({@code ANKISYNCD_WARMUP_SYNCS}; 0: none)
 */
public record OpsSettings(
        long minFreeDiskBytes,
        Duration shutdownTimeout,
        boolean metricsEnabled,
        TrustedProxies metricsAllowed,
        String metricsToken,
        boolean jsonLogs,
        int warmupSyncs) {

    public static final String MIN_FREE_DISK_MB = "ANKISYNCD_MIN_FREE_DISK_MB";
    public static final String SHUTDOWN_TIMEOUT_SECONDS = "ANKISYNCD_SHUTDOWN_TIMEOUT_SECONDS";
    public static final String METRICS = "ANKISYNCD_METRICS";
    public static final String METRICS_ALLOW = "ANKISYNCD_METRICS_ALLOW";
    public static final String METRICS_TOKEN = "ANKISYNCD_METRICS_TOKEN";
    public static final String LOG_FORMAT = "ANKISYNCD_LOG_FORMAT";
    public static final String WARMUP_SYNCS = "ANKISYNCD_WARMUP_SYNCS";

    public static final long DEFAULT_MIN_FREE_DISK_MB = 100;
    public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
    public static final String LOOPBACK = "127.0.0.0/8,::1";
    public static final int DEFAULT_WARMUP_SYNCS = 30;
    private static final int MAX_WARMUP_SYNCS = 10_000;

    public OpsSettings {
        if (minFreeDiskBytes < 0) {
            throw new ConfigException(MIN_FREE_DISK_MB + " must not be negative");
        }
        if (shutdownTimeout.isNegative() || shutdownTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(
                    SHUTDOWN_TIMEOUT_SECONDS + " must be between 0 and 3600, got " + shutdownTimeout.toSeconds());
        }
        if (warmupSyncs < 0 || warmupSyncs > MAX_WARMUP_SYNCS) {
            throw new ConfigException(
                    WARMUP_SYNCS + " must be between 0 and " + MAX_WARMUP_SYNCS + ", got " + warmupSyncs);
        }
    }

    public static OpsSettings defaults() {
        return fromSettings(Map.of());
    }

    /** From merged settings (environment, file, servlet parameters). */
    public static OpsSettings fromSettings(Map<String, String> settings) {
        long minFreeMb = number(settings, MIN_FREE_DISK_MB, DEFAULT_MIN_FREE_DISK_MB);
        long shutdown = number(settings, SHUTDOWN_TIMEOUT_SECONDS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
        String metrics = value(settings, METRICS, "on").toLowerCase(Locale.ROOT);
        if (!metrics.equals("on") && !metrics.equals("off")) {
            throw new ConfigException(METRICS + " must be on or off, got '" + metrics + "'");
        }
        TrustedProxies allowed;
        try {
            allowed = TrustedProxies.parse(value(settings, METRICS_ALLOW, LOOPBACK));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(METRICS_ALLOW + ": " + e.getMessage());
        }
        String format = value(settings, LOG_FORMAT, "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException(LOG_FORMAT + " must be text or json, got '" + format + "'");
        }
        long warmup = number(settings, WARMUP_SYNCS, DEFAULT_WARMUP_SYNCS);
        if (minFreeMb > Long.MAX_VALUE / (1024 * 1024)) {
            throw new ConfigException(MIN_FREE_DISK_MB + " is too large: " + minFreeMb);
        }
        return new OpsSettings(
                minFreeMb * 1024 * 1024,
                Duration.ofSeconds(shutdown),
                metrics.equals("on"),
                allowed,
                value(settings, METRICS_TOKEN, ""),
                format.equals("json"),
                (int) Math.max(-1, Math.min(warmup, MAX_WARMUP_SYNCS + 1L)));
    }

    private static String value(Map<String, String> settings, String key, String fallback) {
        String raw = settings.get(key);
        return raw == null || raw.isBlank() ? fallback : raw.trim();
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
