package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ankisync.s3.S3Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show (a) of issue 15: users who all type node 1's address end up on
 * their own node after one 308 on {@code meta}, both devices of each user
 * converge (notes, reviews, media byte for byte), new users are spread by the
 * placement rule (least loaded), each node's disk holds only its users'
 * collections, and media bytes live only in S3.
 */
class ClusterPlacementTest {
    /** Users with two official-client devices each (the 30 is more than 2 shared cores run in time). */
    static final int USERS = 30;

    @TempDir
    Path root;

    @Test
    void everyDeviceFollowsOneRedirectToItsUsersNodeAndTheDevicesConverge() throws Exception {
        try (ThreeNodeCluster cluster = ThreeNodeCluster.start(root, USERS)) {
            Map<Integer, Set<String>> placed = new HashMap<>();
            Map<String, String> mediaKeys = new TreeMap<>();
            for (int i = 1; i <= USERS; i++) {
                String user = ThreeNodeCluster.user(i);
                try (UserDevices devices = UserDevices.start(cluster, root.resolve("devices"), user)) {
                    int node = cluster.assignedNode(user);
                    assertTrue(node >= 1, user + " has no node");
                    placed.computeIfAbsent(node, n -> new TreeSet<>()).add(user);
                    // Logged in at node 1; the 308 on meta moved both devices to the user's node.
                    assertEquals(cluster.endpoint(node), UserDevices.endpoint(devices.first), user);
                    assertEquals(cluster.endpoint(node), UserDevices.endpoint(devices.second), user);

                    devices.second.call("review", Map.of("count", 3));
                    devices.second.addBasicNotes(2, "Default");
                    devices.second.call(
                            "add_media",
                            Map.of(
                                    "files",
                                    List.of(Map.of("name", user + "-b.bin", "size", 5000, "seed", user + "b"))));
                    UserDevices.sync(devices.second);
                    UserDevices.sync(devices.first);
                    devices.assertConverged();
                    assertEquals(7, devices.first.counts().notes());
                    S3Keys keys = new S3Keys(ThreeNodeCluster.PREFIX, user);
                    devices.first
                            .dump()
                            .get("media")
                            .fields()
                            .forEachRemaining(file -> mediaKeys.put(
                                    keys.keyOf(file.getKey()), file.getValue().asText()));
                    // No further redirect: the devices stay with the node they were sent to.
                    assertEquals(cluster.endpoint(node), UserDevices.endpoint(devices.first), user);
                }
            }
            List<Integer> sizes = new ArrayList<>();
            for (int node = 1; node <= 3; node++) {
                Set<String> users = placed.getOrDefault(node, Set.of());
                sizes.add(users.size());
                assertEquals(users, cluster.collectionsOn(node), "collections on node" + node);
            }
            // Least loaded first: users arriving one after another are spread evenly.
            assertEquals(List.of(USERS / 3, USERS / 3, USERS / 3), sizes);
            // Two files per user, byte for byte in the bucket, and none of them on a node's disk.
            assertEquals(2 * USERS, mediaKeys.size());
            Map<String, String> inBucket = new TreeMap<>();
            for (String key : cluster.s3().keys(ThreeNodeCluster.BUCKET, "")) {
                try (InputStream in = cluster.s3().open(ThreeNodeCluster.BUCKET, key)) {
                    inBucket.put(key, sha1(in));
                }
            }
            assertEquals(mediaKeys, inBucket, "the bucket's keys and bytes");
            for (int node = 1; node <= 3; node++) {
                try (Stream<Path> files = Files.walk(cluster.node(node).dataDir())) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        try (InputStream in = Files.newInputStream(file)) {
                            String digest = sha1(in);
                            assertTrue(!mediaKeys.containsValue(digest), "media bytes on node" + node + ": " + file);
                        }
                    }
                }
            }
        }
    }

    private static String sha1(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-1");
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
