package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show (b) of issue 15: node 2's users are moved away while both their
 * devices keep adding notes and syncing: five of them one by one with
 * {@code node move USER --to node3}, the sixth by {@code node drain node2} (to
 * the least loaded other node). A sync may fail only with the retryable error of a user being moved,
 * the next one works; nothing is lost; afterwards node 2 answers those users'
 * {@code meta} with a 308 to their new node.
 */
class ClusterMoveTest {
    /** Users (two devices each); a third of them (six) are placed on node 2. */
    static final int USERS = 18;
    /** Node 2's users moved one by one with {@code node move --to node3}; the rest go by {@code drain}. */
    static final int MOVED_TO_NODE3 = 5;
    /** Sync rounds each device runs after all moves finished. */
    static final int ROUNDS_AFTER = 2;

    @TempDir
    Path root;

    @Test
    void usersMovedWhileSyncingLoseNothingAndTheOldNodeRedirects() throws Exception {
        try (ThreeNodeCluster cluster = ThreeNodeCluster.start(root, USERS)) {
            List<UserDevices> moved = new ArrayList<>();
            try {
                for (int i = 1; i <= USERS; i++) {
                    String user = ThreeNodeCluster.user(i);
                    UserDevices devices = UserDevices.start(cluster, root.resolve("devices"), user);
                    if (cluster.assignedNode(user) == 2) {
                        moved.add(devices);
                    } else {
                        devices.close();
                    }
                }
                assertEquals(USERS / 3, moved.size());

                AtomicBoolean movesDone = new AtomicBoolean();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                List<Syncer> syncers = new ArrayList<>();
                for (UserDevices devices : moved) {
                    syncers.add(new Syncer(devices, movesDone, failures));
                }
                syncers.forEach(Thread::start);
                for (Syncer syncer : syncers) {
                    assertTrue(syncer.started.await(5, TimeUnit.MINUTES), "devices did not start syncing");
                }
                StringBuilder moves = new StringBuilder();
                for (UserDevices devices : moved.subList(0, MOVED_TO_NODE3)) {
                    LauncherCli.Result move = cluster.nodeCommand("move", devices.user, "--to", "node3");
                    assertEquals(0, move.exitCode(), move.output());
                    assertTrue(move.output().contains("moved " + devices.user + " from node2 to node3"), move.output());
                    moves.append(move.output());
                }
                LauncherCli.Result drain = cluster.nodeCommand("drain", "node2");
                assertEquals(0, drain.exitCode(), drain.output());
                movesDone.set(true);
                for (UserDevices devices : moved.subList(MOVED_TO_NODE3, moved.size())) {
                    assertTrue(drain.output().contains("moved " + devices.user + " from node2 to "), drain.output());
                }
                LauncherCli.Result list = cluster.nodeCommand("list");
                assertTrue(list.output().matches("(?s).*node2 +draining +0 .*"), list.output());
                for (Syncer syncer : syncers) {
                    syncer.join(TimeUnit.MINUTES.toMillis(10));
                    assertFalse(syncer.isAlive(), "a device is still syncing");
                    assertEquals(null, syncer.fatal, "a device's sync failed after the moves");
                }
                int rounds = syncers.stream().mapToInt(x -> x.notesAdded.get()).sum();
                System.out.println(moves + drain.output() + list.output() + rounds + " syncs, " + failures.size()
                        + " failed and were retried: " + failures);
                // Every failure during the moves was the retryable one of a user being moved.
                for (String failure : failures) {
                    assertTrue(failure.contains("try again") || failure.contains("sync again"), failure);
                }

                for (UserDevices devices : moved) {
                    int node = cluster.assignedNode(devices.user);
                    assertTrue(node != 2, devices.user + " is still on node 2");
                    if (moved.indexOf(devices) < MOVED_TO_NODE3) {
                        assertEquals(3, node, devices.user + " was moved to node 3");
                    }
                    UserDevices.sync(devices.first);
                    UserDevices.sync(devices.second);
                    UserDevices.sync(devices.first);
                    devices.assertConverged();
                    int added = syncers.stream()
                            .filter(s -> s.devices == devices)
                            .mapToInt(s -> s.notesAdded.get())
                            .sum();
                    // 5 notes from the start plus every note added during the moves: nothing lost.
                    assertEquals(5 + added, devices.first.counts().notes(), devices.user);
                    assertEquals(cluster.endpoint(node), UserDevices.endpoint(devices.first));
                    assertEquals(cluster.endpoint(node), UserDevices.endpoint(devices.second));
                    assertEquals(cluster.endpoint(node), metaRedirect(cluster.endpoint(2), devices.user));
                    assertTrue(cluster.collectionsOn(node).contains(devices.user));
                }
            } finally {
                moved.forEach(UserDevices::close);
            }
        }
    }

    /** The {@code Location} of node 2's answer to {@code meta} (a 308 is required). */
    private static String metaRedirect(String endpoint, String user) throws Exception {
        RawSyncClient client = new RawSyncClient(endpoint).login(user, ThreeNodeCluster.password(user));
        HttpResponse<byte[]> reply = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(endpoint + "sync/meta"))
                                .header("anki-sync", client.header(11))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(Zstd.compress(
                                        "{\"v\":11,\"cv\":\"raw,1,linux\"}".getBytes(StandardCharsets.UTF_8))))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(308, reply.statusCode());
        return reply.headers().firstValue("Location").orElseThrow();
    }

    /**
     * One user's devices taking turns (one person, two devices: never both at
     * once, or the second would get the normal "only one copy of Anki" 409):
     * each turn adds a note and syncs (collection, then media), round after
     * round until the moves are done and {@link #ROUNDS_AFTER} more rounds ran.
     * A failed sync is noted and the next turn retries, as a user would.
     */
    private static final class Syncer extends Thread {
        final UserDevices devices;
        final AtomicBoolean movesDone;
        final ConcurrentLinkedQueue<String> failures;
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger notesAdded = new AtomicInteger();
        volatile Throwable fatal;

        Syncer(UserDevices devices, AtomicBoolean movesDone, ConcurrentLinkedQueue<String> failures) {
            this.devices = devices;
            this.movesDone = movesDone;
            this.failures = failures;
            setDaemon(true);
        }

        @Override
        public void run() {
            int roundsAfter = 0;
            boolean lastFailed = false;
            int turn = 0;
            try {
                while (roundsAfter < ROUNDS_AFTER || lastFailed) {
                    boolean after = movesDone.get();
                    PythonDevice device = turn++ % 2 == 0 ? devices.first : devices.second;
                    device.addBasicNotes(1, "Default");
                    notesAdded.incrementAndGet();
                    try {
                        UserDevices.sync(device);
                        lastFailed = false;
                    } catch (DeviceException e) {
                        failures.add(e.getMessage());
                        // The same device retries at once (the next turn would hide a lasting failure).
                        turn--;
                        if (lastFailed && after) {
                            throw e;
                        }
                        lastFailed = true;
                    }
                    started.countDown();
                    if (after) {
                        roundsAfter++;
                    }
                }
            } catch (Throwable e) {
                fatal = e;
                started.countDown();
            }
        }
    }
}
