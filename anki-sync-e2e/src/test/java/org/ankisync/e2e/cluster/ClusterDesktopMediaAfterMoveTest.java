package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.PythonDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the desktop app's one-call sync ({@code sync_collection(auth, media=True)})
 * sees after its user was moved: the collection sync follows the 308, but the
 * official client starts the background media sync with the endpoint it began
 * with, which the old node refuses with the retryable error. The app stores the
 * new endpoint, so the next sync (collection and media) works, and nothing is lost.
 */
class ClusterDesktopMediaAfterMoveTest {
    @TempDir
    Path root;

    @Test
    void theFirstMediaSyncAfterAMoveFailsOnceThenAllSyncs() {
        try (ThreeNodeCluster cluster = ThreeNodeCluster.start(root, 3);
                UserDevices devices = UserDevices.start(cluster, root.resolve("devices"), ThreeNodeCluster.user(2))) {
            int from = nodeOf(cluster, devices.user);
            int to = from == 3 ? 1 : 3;
            String moved = cluster.nodeCommand("move", devices.user, "--to", "node" + to)
                    .output();
            assertTrue(moved.contains("moved " + devices.user), moved);

            PythonDevice desktop = devices.first;
            desktop.addBasicNotes(1, "Default");
            desktop.call(
                    "add_media",
                    Map.of("files", List.of(Map.of("name", "after-move.bin", "size", 4000, "seed", "after-move"))));
            DeviceException once = assertThrows(DeviceException.class, () -> desktop.syncWithFull(null, true));
            assertTrue(once.getMessage().contains("Please try again"), once.getMessage());
            assertEquals(cluster.endpoint(to), UserDevices.endpoint(desktop), "the new endpoint is kept");

            desktop.syncWithFull(null, true);
            UserDevices.sync(devices.second);
            devices.assertConverged();
            assertEquals(6, devices.second.counts().notes());
            assertTrue(devices.second.dump().get("media").has("after-move.bin"));
        }
    }

    private static int nodeOf(ThreeNodeCluster cluster, String user) {
        try {
            return cluster.assignedNode(user);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
