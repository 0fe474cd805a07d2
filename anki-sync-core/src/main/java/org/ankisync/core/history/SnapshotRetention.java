package org.ankisync.core.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ankisync.core.config.HistorySettings;

/**
 * Which snapshots to keep: the newest {@code keepLast}, plus the newest of each
 * of the last {@code keepDays} days (UTC, counting today), and of those only as
 * many, newest first, as fit in {@code maxBytes} (the newest always stays, so a
 * user is never left without one). Pure, so that it can be tested without files.
 */
public final class SnapshotRetention {
    private SnapshotRetention() {}

    /** The snapshots to delete, given all of a user's snapshots. */
    public static List<SnapshotInfo> toDelete(List<SnapshotInfo> all, HistorySettings policy, Instant now) {
        List<SnapshotInfo> newestFirst = new ArrayList<>(all);
        newestFirst.sort(Comparator.comparing(SnapshotInfo::id).reversed());
        Set<String> keep = new LinkedHashSet<>();
        for (int i = 0; i < Math.min(policy.keepLast(), newestFirst.size()); i++) {
            keep.add(newestFirst.get(i).id());
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstDay = today.minusDays(policy.keepDays() - 1L);
        Set<LocalDate> daysSeen = new HashSet<>();
        for (SnapshotInfo snapshot : newestFirst) {
            LocalDate day = LocalDate.ofInstant(snapshot.time(), ZoneOffset.UTC);
            if (policy.keepDays() > 0 && !day.isBefore(firstDay) && !day.isAfter(today) && daysSeen.add(day)) {
                keep.add(snapshot.id());
            }
        }
        long bytes = 0;
        Set<String> fitting = new HashSet<>();
        for (SnapshotInfo snapshot : newestFirst) {
            if (!keep.contains(snapshot.id())) {
                continue;
            }
            if (fitting.isEmpty() || bytes + snapshot.storedBytes() <= policy.maxBytes()) {
                fitting.add(snapshot.id());
                bytes += snapshot.storedBytes();
            } else {
                break; // older ones go first: once one does not fit, no older one is kept
            }
        }
        List<SnapshotInfo> delete = new ArrayList<>();
        for (SnapshotInfo snapshot : newestFirst) {
            if (!fitting.contains(snapshot.id())) {
                delete.add(snapshot);
            }
        }
        return delete;
    }
}
