package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.ankisync.core.config.HistorySettings;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.Snapshots;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention (issue 12, must-show 3): the official client does 15 full uploads
 * over simulated days (the snapshots' clock is injected and moved; the
 * protocol's clock stays true, as clients refuse a server whose clock is off).
 * Afterwards exactly the configured snapshots remain: the newest 3 and the
 * newest of each of the last 5 days; then, with a size cap, only the newest of
 * those that fit in it, and the cap holds. The first sync of a new day takes
 * the daily snapshot.
 */
class SnapshotRetentionTest {
    private static final Instant START = Instant.parse("2030-01-01T10:00:00Z");
    private static final int KEEP_LAST = 3;
    private static final int KEEP_DAYS = 5;

    @TempDir
    Path temp;

    /** A clock the test sets. */
    static final class SetClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(START);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void exactlyTheConfiguredSnapshotsRemainAndTheSizeCapHolds() throws Exception {
        SetClock clock = new SetClock();
        Path data = temp.resolve("server");
        Path alice = data.resolve(TestUsers.ALICE);
        Map<String, String> policy =
                Map.of(HistorySettings.KEEP_LAST, "" + KEEP_LAST, HistorySettings.KEEP_DAYS, "" + KEEP_DAYS);
        Snapshots reader = new Snapshots(HistorySettings.defaults(), clock);
        List<Instant> uploads = new ArrayList<>();
        OurServer server = OurServer.start(data, policy, clock);
        try (PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            // Random text, so that each snapshot costs about 300 KB even compressed.
            a.run("import random\nr = random.Random(7)\nm = col.models.by_name('Basic')\nd = col.decks.id('Big')\n"
                    + "for i in range(2500):\n    n = col.new_note(m)\n"
                    + "    n.fields[0] = 'w%d %x' % (i, r.getrandbits(1200))\n    n.fields[1] = 'x'\n"
                    + "    col.add_note(n, d)\n");
            // Uploads 0..13: two a day on days 0..6 (upload 0 replaces nothing, so it takes no snapshot).
            for (int u = 0; u < 14; u++) {
                clock.now.set(START.plus(Duration.ofDays(u / 2)).plus(Duration.ofMinutes(u)));
                a.call("add_notes", Map.of("count", 1, "deck", "Upload " + u));
                a.fullSync(true);
                uploads.add(clock.instant());
            }
            // Uploads 1..13 each left a snapshot of the state before them, taken at their time.
            List<Instant> expected = expectedKept(uploads.subList(1, uploads.size()), clock.instant(), Long.MAX_VALUE);
            assertEquals(expected, times(reader.list(alice)), "newest 3 plus newest of each of the last 5 days");
            assertEquals(6, expected.size());

            // The 15th upload, with a cap of 1 MiB: only the newest kept ones that fit stay.
            server.close();
            server = OurServer.start(
                    data,
                    Map.of(
                            HistorySettings.KEEP_LAST,
                            "" + KEEP_LAST,
                            HistorySettings.KEEP_DAYS,
                            "" + KEEP_DAYS,
                            HistorySettings.MAX_MB,
                            "1"),
                    clock);
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            clock.now.set(START.plus(Duration.ofDays(6)).plus(Duration.ofHours(5)));
            a.call("add_notes", Map.of("count", 1, "deck", "Upload 14"));
            a.fullSync(true);
            uploads.add(clock.instant());
            List<SnapshotInfo> capped = reader.list(alice);
            long total = capped.stream().mapToLong(SnapshotInfo::storedBytes).sum();
            assertTrue(total <= 1024 * 1024, "the cap holds: " + total + " bytes in " + capped.size());
            List<Instant> policyKept =
                    expectedKept(uploads.subList(1, uploads.size()), clock.instant(), Long.MAX_VALUE);
            // newest first, as many as fit: the kept ones are the newest policy ones, and one more would not fit
            List<Instant> keptTimes = times(capped);
            assertEquals(policyKept.subList(policyKept.size() - keptTimes.size(), policyKept.size()), keptTimes);
            assertTrue(
                    keptTimes.size() >= 1 && keptTimes.size() < policyKept.size(),
                    "the cap removed some: " + capped.size() + " of " + policyKept.size());
            long oneSize = capped.get(0).storedBytes();
            assertTrue(total + oneSize > 1024 * 1024 * 0.95, "one more would not fit (about): " + total);

            // The first sync of a new day takes a daily snapshot, off the request's path.
            clock.now.set(START.plus(Duration.ofDays(7)));
            a.call("add_notes", Map.of("count", 1, "deck", "Day 7"));
            a.sync();
            SnapshotInfo daily = awaitDaily(reader, alice);
            assertEquals(clock.instant(), daily.time());
        } finally {
            server.close();
        }
    }

    /** The policy written out independently of the server's code: newest 3, newest of each of the last 5 days. */
    private static List<Instant> expectedKept(List<Instant> taken, Instant now, long cap) {
        List<Instant> newestFirst = new ArrayList<>(taken);
        newestFirst.sort(Comparator.reverseOrder());
        Set<Instant> keep = new TreeSet<>(newestFirst.subList(0, Math.min(KEEP_LAST, newestFirst.size())));
        long today = now.getEpochSecond() / 86_400;
        Set<Long> days = new HashSet<>();
        for (Instant t : newestFirst) {
            long day = t.getEpochSecond() / 86_400;
            if (day > today - KEEP_DAYS && day <= today && days.add(day)) {
                keep.add(t);
            }
        }
        return new ArrayList<>(keep);
    }

    private static List<Instant> times(List<SnapshotInfo> snapshots) {
        return snapshots.stream().map(SnapshotInfo::time).sorted().toList();
    }

    private static SnapshotInfo awaitDaily(Snapshots reader, Path alice) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (SnapshotInfo s : reader.list(alice)) {
                if (s.reason().equals(SnapshotInfo.DAILY)) {
                    return s;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no daily snapshot after the first sync of the day: " + reader.list(alice));
    }
}
