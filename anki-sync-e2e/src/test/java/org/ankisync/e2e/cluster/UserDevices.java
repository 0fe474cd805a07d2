package org.ankisync.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.PythonDevice;

/**
 * One user's two official-client devices, both logged in at node 1's endpoint
 * (what every user types in) and following the 308 as the desktop app does:
 * the driver keeps {@code new_endpoint} for later syncs and media.
 */
final class UserDevices implements AutoCloseable {
    final String user;
    final PythonDevice first;
    final PythonDevice second;

    private UserDevices(String user, PythonDevice first, PythonDevice second) {
        this.user = user;
        this.first = first;
        this.second = second;
    }

    /**
     * The first device adds notes and a media file and uploads them, the second
     * downloads them: the user now has a collection on its node.
     */
    static UserDevices start(ThreeNodeCluster cluster, Path folder, String user) {
        PythonDevice first = PythonDevice.open(folder.resolve(user + "-a"));
        PythonDevice second = null;
        try {
            first.login(cluster.endpoint(1), user, ThreeNodeCluster.password(user));
            first.addBasicNotes(5, "Default");
            first.call(
                    "add_media", Map.of("files", List.of(Map.of("name", user + "-a.bin", "size", 3000, "seed", user))));
            first.syncWithFull("upload", false);
            first.call("sync_media");
            second = PythonDevice.open(folder.resolve(user + "-b"));
            second.login(cluster.endpoint(1), user, ThreeNodeCluster.password(user));
            second.syncWithFull("download", false);
            second.call("sync_media");
            return new UserDevices(user, first, second);
        } catch (RuntimeException e) {
            first.close();
            if (second != null) {
                second.close();
            }
            throw e;
        }
    }

    /** One sync of {@code device} as the app does it: the collection, then media (a full sync is an error here). */
    static void sync(PythonDevice device) {
        JsonNode reply = device.syncWithFull(null, false);
        String required = reply.get("required").asText();
        if (!required.equals("no_changes") && !required.equals("normal_sync")) {
            throw new AssertionError("a full sync was asked for: " + reply);
        }
        device.call("sync_media");
    }

    /** Both devices hold the same content (compared part by part, so that a failure names the part). */
    void assertConverged() {
        JsonNode a = first.dump();
        JsonNode b = second.dump();
        a.fieldNames().forEachRemaining(part -> {
            JsonNode x = a.get(part);
            JsonNode y = b.get(part);
            if (!x.equals(y)) {
                java.util.Set<String> onlyFirst = new java.util.TreeSet<>();
                java.util.Set<String> onlySecond = new java.util.TreeSet<>();
                if (x.isArray() && y != null && y.isArray()) {
                    x.forEach(e -> onlyFirst.add(e.toString()));
                    y.forEach(e -> onlySecond.add(e.toString()));
                    java.util.Set<String> common = new java.util.TreeSet<>(onlyFirst);
                    common.retainAll(onlySecond);
                    onlyFirst.removeAll(common);
                    onlySecond.removeAll(common);
                }
                throw new AssertionError(user + "'s devices differ in " + part + ": only on the first " + onlyFirst
                        + ", only on the second " + onlySecond + (x.isArray() ? "" : ": " + x + " vs " + y));
            }
        });
        if (!a.equals(b)) {
            throw new AssertionError(user + "'s devices differ");
        }
    }

    /** The endpoint the device syncs with now. */
    static String endpoint(PythonDevice device) {
        return device.call("endpoint").asText();
    }

    @Override
    public void close() {
        first.close();
        second.close();
    }
}
