package org.ankisync.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.core.config.HistorySettings;
import org.ankisync.core.config.ServerConfig;
import org.junit.jupiter.api.Test;

class SnapshotRetentionTest {
    private static final Instant NOW = Instant.parse("2030-03-10T12:00:00Z");
    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private static SnapshotInfo at(Instant time, long bytes) {
        return new SnapshotInfo(ID.format(time), time, "daily", "", "", 1, 1, 0, bytes, bytes);
    }

    private static HistorySettings policy(int last, int days, int megabytes) {
        return ServerConfig.fromSettings(Map.of(
                        HistorySettings.KEEP_LAST,
                        "" + last,
                        HistorySettings.KEEP_DAYS,
                        "" + days,
                        HistorySettings.MAX_MB,
                        "" + megabytes))
                .history();
    }

    private static List<String> kept(List<SnapshotInfo> all, HistorySettings policy) {
        List<SnapshotInfo> delete = SnapshotRetention.toDelete(all, policy, NOW);
        List<String> kept = new ArrayList<>();
        for (SnapshotInfo s : all) {
            if (!delete.contains(s)) {
                kept.add(s.id());
            }
        }
        return kept;
    }

    @Test
    void keepsTheNewestAndTheNewestOfEachRecentDay() {
        List<SnapshotInfo> all = new ArrayList<>();
        for (int day = 9; day >= 0; day--) { // ten days, three snapshots a day, oldest first
            for (int hour = 8; hour <= 16; hour += 4) {
                all.add(at(NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(12 - hour)), 1000));
            }
        }
        List<String> kept = kept(all, policy(2, 3, 100));
        // newest two of today, plus the newest of yesterday and of the day before
        assertEquals(
                List.of(
                        all.get(23).id(),
                        all.get(26).id(),
                        all.get(28).id(),
                        all.get(29).id()),
                kept);
    }

    @Test
    void theSizeCapDropsTheOldestFirstButNeverTheNewest() {
        List<SnapshotInfo> all = List.of(
                at(NOW.minus(Duration.ofHours(3)), 400_000),
                at(NOW.minus(Duration.ofHours(2)), 400_000),
                at(NOW.minus(Duration.ofHours(1)), 400_000));
        assertEquals(List.of(all.get(1).id(), all.get(2).id()), kept(all, policy(10, 0, 1)));
        List<SnapshotInfo> huge =
                List.of(at(NOW.minus(Duration.ofHours(2)), 5_000_000), at(NOW.minus(Duration.ofHours(1)), 5_000_000));
        assertEquals(List.of(huge.get(1).id()), kept(huge, policy(10, 0, 1)));
    }

    @Test
    void nothingToDeleteWhenEverythingFits() {
        List<SnapshotInfo> all = List.of(at(NOW.minus(Duration.ofDays(40)), 10), at(NOW, 10));
        assertEquals(2, kept(all, policy(10, 30, 100)).size());
    }
}
