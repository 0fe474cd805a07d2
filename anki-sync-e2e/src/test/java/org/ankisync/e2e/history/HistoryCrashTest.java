package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ankisync.core.config.HistorySettings;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.Snapshots;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.ServerContent;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code snapshot create}, {@code snapshot restore} and
 * {@code backup} at random points, beside a running server (issue 12,
 * must-show 4). After each kill: the live collection passes the integrity
 * check and holds exactly the state before or after (a restore: the old
 * content or the snapshot's, never a mix); every listed snapshot is complete
 * (it decompresses and passes the integrity check); a completed backup's files
 * pass it too; and the official client syncs on (the dead process's locks are
 * gone).
 *
 * <p>CI runs {@value #CI_TRIALS} trials of each; the long mode runs more:
 * {@code mvn verify -pl anki-sync-e2e -am -Dtest=HistoryCrashTest -Dankisync.history.crash.trials=20}.
 */
class HistoryCrashTest {
    static final int CI_TRIALS = 3;

    @TempDir
    Path temp;

    private enum Kind {
        SNAPSHOT,
        RESTORE,
        BACKUP
    }

    @Test
    void killedAtRandomPointsNothingIsHalfDone() throws Exception {
        int trials = Integer.getInteger("ankisync.history.crash.trials", CI_TRIALS);
        long seed = Long.getLong("ankisync.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path data = temp.resolve("server");
        Path alice = data.resolve(TestUsers.ALICE);
        Path collection = alice.resolve("collection.anki2");
        Path backup = temp.resolve("backup");
        Snapshots reader = new Snapshots(HistorySettings.defaults(), Clock.systemUTC());
        Map<String, String> settings = Map.of(HistorySettings.KEEP_LAST, "10000");
        List<String> outcomes = new ArrayList<>();
        int killedMidway = 0;
        long startup;
        long[] durations;
        try (OurServerProcess server = OurServerProcess.start(data, "256m", settings);
                PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            Map<String, String> cli = new HashMap<>(server.environment());
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            a.run("import random\nr = random.Random(3)\nm = col.models.by_name('Basic')\nd = col.decks.id('Big')\n"
                    + "for i in range(6000):\n    n = col.new_note(m)\n"
                    + "    n.fields[0] = 'w%d %x' % (i, r.getrandbits(1600))\n    n.fields[1] = 'x'\n"
                    + "    col.add_note(n, d)\n");
            List<Map<String, Object>> files = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                files.add(Map.of("name", "crash " + i + ".bin", "size", 100_000, "seed", i));
            }
            a.call("add_media", Map.of("files", files));
            a.syncWithFull("upload", true);
            // Two snapshots with different content to restore between.
            HistoryCli.run(cli, "snapshot", "create", TestUsers.ALICE);
            a.call("add_notes", Map.of("count", 50, "deck", "Second"));
            a.call("review", Map.of("count", 30, "deck", "Big"));
            a.syncWithFull(null, false);
            HistoryCli.run(cli, "snapshot", "create", TestUsers.ALICE);
            List<SnapshotInfo> pair = reader.list(alice);
            Map<String, String> contentOf = new HashMap<>();
            for (SnapshotInfo s : pair) {
                contentOf.put(s.id(), snapshotContent(reader, alice, s.id()));
            }
            startup = timed(cli, "snapshot", "list", TestUsers.ALICE);
            durations = new long[] {
                timed(cli, "snapshot", "create", TestUsers.ALICE),
                timed(cli, "snapshot", "restore", TestUsers.ALICE, pair.get(0).id()),
                timed(cli, "backup", "--to", backup.toString())
            };
            a.syncWithFull("download", false);

            for (int trial = 0; trial < trials * Kind.values().length; trial++) {
                Kind kind = Kind.values()[trial % Kind.values().length];
                String before = ServerContent.ofFile(collection);
                String target = null;
                String[] args;
                switch (kind) {
                    case SNAPSHOT -> args = new String[] {"snapshot", "create", TestUsers.ALICE};
                    case RESTORE -> {
                        SnapshotInfo other = contentOf.get(pair.get(0).id()).equals(before) ? pair.get(1) : pair.get(0);
                        target = contentOf.get(other.id());
                        args = new String[] {"snapshot", "restore", TestUsers.ALICE, other.id()};
                    }
                    default -> args = new String[] {"backup", "--to", backup.toString()};
                }
                // The JVM's start-up varies by a few hundred ms: spread the kills from half of it to the end.
                long from = startup / 2;
                long delay = from + (long) (random.nextDouble() * Math.max(1, durations[kind.ordinal()] - from));
                Process process = LauncherCli.start(cli, args);
                boolean finished = process.waitFor(delay, TimeUnit.MILLISECONDS);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                String outcome = finished ? "finished" : "killed after " + delay + " ms";
                outcomes.add(kind + " " + outcome);
                String where = "trial " + trial + " (" + kind + ", " + outcome + ", seed " + seed + ")";

                String after = ServerContent.ofFile(collection); // also checks integrity
                if (kind == Kind.RESTORE) {
                    assertTrue(after.equals(before) || after.equals(target), "before or after, never a mix: " + where);
                    if (!finished && after.equals(before)) {
                        killedMidway++;
                    }
                } else {
                    assertEquals(before, after, "the collection is untouched: " + where);
                    if (!finished) {
                        killedMidway++;
                    }
                }
                for (SnapshotInfo listed : reader.list(alice)) {
                    snapshotContent(reader, alice, listed.id()); // complete and sound
                }
                if (Files.isRegularFile(backup.resolve("BACKUP-COMPLETE"))) {
                    ServerContent.ofFile(backup.resolve("collections")
                            .resolve(TestUsers.ALICE)
                            .resolve("collection.anki2"));
                    ServerContent.checkMedia(backup.resolve("collections").resolve(TestUsers.ALICE));
                }
                // The dead process's locks are gone: the server serves the user, the client syncs on.
                a.syncWithFull("download", false);
                assertEquals(
                        "no_changes",
                        a.syncWithFull(null, false).get("required").asText(),
                        where);
                assertEquals(ServerContent.ofDevice(a), ServerContent.ofFile(collection), where);
            }
            HistoryCli.run(cli, "backup", "--to", backup.toString());
            ServerContent.ofFile(
                    backup.resolve("collections").resolve(TestUsers.ALICE).resolve("collection.anki2"));
            assertTrue(ServerContent.checkMedia(backup.resolve("collections").resolve(TestUsers.ALICE)) > 0);
        }
        System.out.printf(
                "history crash trials: %d, %d killed mid-way, seed %d, start-up %d ms, snapshot/restore/"
                        + "backup %s ms: %s%n",
                outcomes.size(), killedMidway, seed, startup, Arrays.toString(durations), outcomes);
        assertTrue(killedMidway > 0, "at least one kill landed inside the work: " + outcomes);
    }

    /** The snapshot's content (notes, cards, reviews); fails unless it decompresses and passes the integrity check. */
    private String snapshotContent(Snapshots reader, Path alice, String id) throws Exception {
        Path file = Files.createTempDirectory(temp, "check").resolve("c.anki2");
        reader.decompress(alice, id, file);
        try (Connection db = CollectionDatabase.open(file)) {
            assertEquals("ok", CollectionDatabase.integrityCheck(db), "snapshot " + id);
        }
        return ServerContent.ofFile(file);
    }

    private static long timed(Map<String, String> cli, String... args) {
        long start = System.nanoTime();
        HistoryCli.run(cli, args);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
