package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.e2e.harness.DeviceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show (c) of issue 15: node 2 killed with SIGKILL. The users of nodes 1
 * and 3 keep syncing; node 2's users get a clear error at once (connection
 * refused after the redirect, not a hang) until node 2 is back, then sync on
 * with nothing lost.
 */
class ClusterNodeKillTest {
    /** Users (two devices each), a third of them on each node. */
    static final int USERS = 6;

    @TempDir
    Path root;

    @Test
    void aKilledNodeOnlyStopsItsOwnUsersAndTheyLoseNothing() throws Exception {
        try (ThreeNodeCluster cluster = ThreeNodeCluster.start(root, USERS)) {
            List<UserDevices> all = new ArrayList<>();
            try {
                for (int i = 1; i <= USERS; i++) {
                    all.add(UserDevices.start(cluster, root.resolve("devices"), ThreeNodeCluster.user(i)));
                }
                cluster.node(2).kill();

                int failedOnNode2 = 0;
                for (UserDevices devices : all) {
                    int node = cluster.assignedNode(devices.user);
                    // Both devices change something while node 2 is down.
                    devices.first.addBasicNotes(1, "Default");
                    devices.second.addBasicNotes(1, "Default");
                    if (node == 2) {
                        long started = System.nanoTime();
                        DeviceException error =
                                assertThrows(DeviceException.class, () -> UserDevices.sync(devices.first));
                        // Not a hang: a refused connection, well before the client's 120 s stall timeout.
                        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                        assertTrue(seconds < 60, "the failed sync took " + seconds + " s");
                        assertTrue(
                                error.errorType().contains("Network")
                                        || error.getMessage().contains("connect"),
                                error.getMessage());
                        failedOnNode2++;
                    } else {
                        UserDevices.sync(devices.first);
                        UserDevices.sync(devices.second);
                        UserDevices.sync(devices.first);
                        devices.assertConverged();
                        assertEquals(7, devices.first.counts().notes(), devices.user);
                    }
                }
                assertEquals(USERS / 3, failedOnNode2);

                cluster.node(2).restart();
                for (UserDevices devices : all) {
                    UserDevices.sync(devices.first);
                    UserDevices.sync(devices.second);
                    UserDevices.sync(devices.first);
                    devices.assertConverged();
                    // 5 at the start, one per device while node 2 was down: nothing lost.
                    assertEquals(7, devices.first.counts().notes(), devices.user);
                }
            } finally {
                all.forEach(UserDevices::close);
            }
        }
    }
}
