package org.ankisync.e2e.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.ServerContent;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the launcher is killed with SIGKILL at random points of
 * normal syncs, full uploads and media uploads. After every restart the
 * collection and media database pass SQLite's integrity check, the collection
 * holds either the state before the interrupted sync or the state after it
 * (never a mix), whatever the client saw acknowledged is there, and the
 * official client's next sync succeeds and converges.
 *
 * <p>CI runs {@value #CI_TRIALS} trials; the long mode runs more:
 * {@code mvn verify -pl anki-sync-e2e -am -Dtest=CrashSafetyTest -Dankisync.crash.trials=100}.
 */
class CrashSafetyTest {
    static final int CI_TRIALS = 15;

    @TempDir
    Path temp;

    private enum Kind {
        NORMAL_SYNC,
        FULL_UPLOAD,
        MEDIA_UPLOAD
    }

    @Test
    void killedAtRandomPointsTheServerLosesNothingAndNeverMixes() throws Exception {
        int trials = Integer.getInteger("ankisync.crash.trials", CI_TRIALS);
        long seed = Long.getLong("ankisync.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path userFolder = temp.resolve("server").resolve(TestUsers.ALICE);
        Path collection = userFolder.resolve("collection.anki2");
        int killedMidway = 0;
        List<String> outcomes = new ArrayList<>();
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            a.call("add_notes", Map.of("count", 400, "deck", "Crash"));
            a.syncWithFull("upload", false);

            for (int trial = 0; trial < trials; trial++) {
                Kind kind = Kind.values()[trial % Kind.values().length];
                prepare(a, kind, trial, random);
                String before = ServerContent.ofFile(collection);
                String intended = ServerContent.ofDevice(a);

                CompletableFuture<String> sync = CompletableFuture.supplyAsync(() -> {
                    try {
                        if (kind == Kind.MEDIA_UPLOAD) {
                            a.call("sync_media");
                        } else {
                            a.syncWithFull(kind == Kind.FULL_UPLOAD ? "upload" : null, false);
                        }
                        return "completed";
                    } catch (DeviceException e) {
                        return "failed: " + e.errorType() + "/" + e.kind();
                    }
                });
                // Most syncs here take 0.2-1 s: kill early enough that most kills land inside one.
                Thread.sleep(random.nextInt(kind == Kind.MEDIA_UPLOAD ? 600 : 250));
                server.kill();
                String outcome = sync.get(120, TimeUnit.SECONDS);
                outcomes.add(kind + " " + outcome);

                String after = ServerContent.ofFile(collection);
                int mediaUsn = ServerContent.checkMedia(userFolder);
                String where = "trial " + trial + " (" + kind + ", seed " + seed + ")";
                if (outcome.equals("completed")) {
                    assertEquals(intended, after, "acknowledged sync is on the server: " + where);
                } else {
                    killedMidway++;
                    assertTrue(
                            after.equals(before) || after.equals(intended),
                            "the server holds the state before or after, never a mix: " + where);
                }
                JsonNode clientMedia = a.call("media_state");
                assertTrue(
                        clientMedia.get("last_usn").asInt() <= mediaUsn,
                        "client media usn not ahead of the server: " + where);

                server.restart();
                recover(a);
                String settled = ServerContent.ofDevice(a);
                server.kill();
                assertEquals(settled, ServerContent.ofFile(collection), "converged after recovery: " + where);
                ServerContent.checkMedia(userFolder);
                server.restart();
            }
        }
        System.out.printf(
                "crash safety: %d trials, %d killed mid-sync, seed %d: %s%n", trials, killedMidway, seed, outcomes);
        assertTrue(killedMidway > 0, "at least one kill landed inside a sync: " + outcomes);
    }

    /** Makes changes on the device that the next sync of this kind will carry. */
    private static void prepare(PythonDevice a, Kind kind, int trial, Random random) {
        switch (kind) {
            case NORMAL_SYNC -> {
                a.run("import random\nr = random.Random(" + random.nextLong() + ")\n"
                        + "nids = sorted(col.find_notes(''))\n"
                        + "for nid in r.sample(nids, min(len(nids), 600)):\n"
                        + "    n = col.get_note(nid); n.fields[1] += ' t" + trial + "'; col.update_note(n)\n");
                a.call("add_notes", Map.of("count", 60, "deck", "Crash " + trial));
                a.call("review", Map.of("count", 25, "deck", "Crash"));
            }
            case FULL_UPLOAD -> {
                a.call("add_notes", Map.of("count", 40, "deck", "Full " + trial));
                a.run("col.db.transact(col.set_schema_modified) if hasattr(col.db, 'transact')"
                        + " else col.set_schema_modified()\ncol.decks.id('Schema bump " + trial + "')");
            }
            case MEDIA_UPLOAD -> {
                List<Map<String, Object>> files = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    files.add(
                            Map.of("name", "t" + trial + "-" + i + ".bin", "size", 150_000, "seed", trial * 1000 + i));
                }
                a.call("add_media", Map.of("files", files));
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The next sync after a crash: whatever the client is told, it completes (a full sync goes up). */
    private static void recover(PythonDevice a) {
        a.syncWithFull("upload", false);
        JsonNode again = a.syncWithFull("upload", false);
        assertEquals("no_changes", again.get("required").asText(), "settled: " + again);
        a.call("sync_media");
    }
}
