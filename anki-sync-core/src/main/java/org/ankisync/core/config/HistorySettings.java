package org.ankisync.core.config;

import java.util.Locale;
import java.util.Map;

/**
 * How much history the server keeps: snapshots of each user's collection and
 * the media trash.
 *
 * @param snapshots      whether snapshots are taken automatically (before a full upload replaces a
 *                       collection, and once a day per active user) ({@code ANKISYNCD_SNAPSHOTS}, on/off)
 * @param keepLast       the newest snapshots always kept ({@code ANKISYNCD_SNAPSHOT_KEEP_LAST})
 * @param keepDays       besides, the newest snapshot of each of the last this many days (UTC)
 *                       ({@code ANKISYNCD_SNAPSHOT_KEEP_DAYS})
 * @param maxBytes       a cap on each user's snapshots together; the oldest go first, the newest
 *                       always stays ({@code ANKISYNCD_SNAPSHOT_MAX_MB}, in MiB)
 * @param mediaTrashDays how long media files that a sync deleted are kept ({@code ANKISYNCD_MEDIA_TRASH_DAYS};
 *                       0 deletes them at once, as before)
 */
public record HistorySettings(boolean snapshots, int keepLast, int keepDays, long maxBytes, int mediaTrashDays) {
    public static final String SNAPSHOTS = "ANKISYNCD_SNAPSHOTS";
    public static final String KEEP_LAST = "ANKISYNCD_SNAPSHOT_KEEP_LAST";
    public static final String KEEP_DAYS = "ANKISYNCD_SNAPSHOT_KEEP_DAYS";
    public static final String MAX_MB = "ANKISYNCD_SNAPSHOT_MAX_MB";
    public static final String MEDIA_TRASH_DAYS = "ANKISYNCD_MEDIA_TRASH_DAYS";

    public static final int DEFAULT_KEEP_LAST = 10;
    public static final int DEFAULT_KEEP_DAYS = 30;
    public static final int DEFAULT_MAX_MB = 2048;
    public static final int DEFAULT_MEDIA_TRASH_DAYS = 30;

    public HistorySettings {
        if (keepLast < 1 || keepLast > 10_000) {
            throw new ConfigException(KEEP_LAST + " must be between 1 and 10000, got " + keepLast);
        }
        if (keepDays < 0 || keepDays > 36_500) {
            throw new ConfigException(KEEP_DAYS + " must be between 0 and 36500, got " + keepDays);
        }
        if (maxBytes < 1024 * 1024) {
            throw new ConfigException(MAX_MB + " must be at least 1, got " + maxBytes / (1024 * 1024));
        }
        if (mediaTrashDays < 0 || mediaTrashDays > 36_500) {
            throw new ConfigException(MEDIA_TRASH_DAYS + " must be between 0 and 36500, got " + mediaTrashDays);
        }
    }

    public static HistorySettings defaults() {
        return fromSettings(Map.of());
    }

    static HistorySettings fromSettings(Map<String, String> settings) {
        String onOff = settings.getOrDefault(SNAPSHOTS, "on").trim().toLowerCase(Locale.ROOT);
        if (!onOff.equals("on") && !onOff.equals("off")) {
            throw new ConfigException(SNAPSHOTS + " must be on or off, got '" + onOff + "'");
        }
        long maxMb = number(settings, MAX_MB, DEFAULT_MAX_MB);
        if (maxMb < 1 || maxMb > 1L << 30) {
            throw new ConfigException(MAX_MB + " must be between 1 and " + (1L << 30) + ", got " + maxMb);
        }
        return new HistorySettings(
                onOff.equals("on"),
                (int) number(settings, KEEP_LAST, DEFAULT_KEEP_LAST),
                (int) number(settings, KEEP_DAYS, DEFAULT_KEEP_DAYS),
                maxMb * 1024 * 1024,
                (int) number(settings, MEDIA_TRASH_DAYS, DEFAULT_MEDIA_TRASH_DAYS));
    }

    private static long number(Map<String, String> settings, String key, long fallback) {
        String raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new ConfigException(key + " is out of range: " + raw.trim());
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + raw + "'");
        }
    }
}
