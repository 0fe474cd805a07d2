package org.ankisync.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.Ports;
import org.ankisync.e2e.harness.S3Server;
import org.ankisync.postgres.PostgresServer;

/**
 * Three launcher processes ({@code java -jar ankisyncd.jar}) as nodes
 * {@code node1..node3} of one cluster: one throwaway PostgreSQL database holding
 * the directory and the accounts ({@code ANKISYNCD_AUTH_STORE=postgres}, so a
 * host key from one node works on all), one S3 server (moto) holding every
 * node's media under {@code <prefix>/<user>/}, and each node its own data
 * folder (collections, media databases) and port. The test users are {@code user01..userNN} with the password
 * {@code pw-<name>}.
 *
 * <p>The benchmark (workload P11) starts it public through {@link #start(Path, int, String, Map)}:
 * three nodes, or a cluster of one node configured the same way to compare with.
 */
public final class ThreeNodeCluster implements AutoCloseable {
    static final String SECRET = "cluster-secret-for-tests-only";
    static final String BUCKET = "anki-media";
    static final String PREFIX = "media";

    private final PostgresServer postgres;
    private final PostgresServer.Database database;
    private S3Server s3;
    private final List<OurServerProcess> nodes = new ArrayList<>();
    private final Map<String, String> common = new HashMap<>();

    private ThreeNodeCluster(PostgresServer postgres) {
        this.postgres = postgres;
        this.database = postgres.createDatabase();
    }

    static ThreeNodeCluster start(Path root, int users) {
        return start(root, users, 3, "192m", Map.of());
    }

    /**
     * A cluster of {@code nodeCount} nodes at {@code -Xmx<heap>}, the {@code users} test users
     * and {@code extra} settings on every node (added last: they may replace the defaults, e.g.
     * other {@code SYNC_USERn}, or carry {@code JAVA_TOOL_OPTIONS}).
     */
    public static ThreeNodeCluster start(Path root, int users, int nodeCount, String heap, Map<String, String> extra) {
        ThreeNodeCluster cluster = new ThreeNodeCluster(PostgresServer.start());
        try {
            cluster.common.put("ANKISYNCD_CLUSTER", "postgres");
            cluster.common.putAll(cluster.database.settings());
            cluster.common.put("ANKISYNCD_AUTH_STORE", "postgres");
            cluster.s3 = S3Server.start(root.resolve("moto.log"));
            cluster.s3.createBucket(BUCKET);
            cluster.common.putAll(S3MediaStoreContractTest.settings(cluster.s3, BUCKET, PREFIX));
            cluster.common.put("ANKISYNCD_CLUSTER_SECRET", SECRET);
            for (int i = 1; i <= users; i++) {
                cluster.common.put("SYNC_USER" + i, user(i) + ":" + password(user(i)));
            }
            cluster.common.putAll(extra);
            for (int n = 1; n <= nodeCount; n++) {
                int port = Ports.free();
                Map<String, String> settings = new HashMap<>(cluster.common);
                settings.put("ANKISYNCD_NODE_NAME", "node" + n);
                settings.put("ANKISYNCD_PUBLIC_ENDPOINT", "http://127.0.0.1:" + port + "/");
                cluster.nodes.add(OurServerProcess.start(root.resolve("node" + n), heap, settings, port));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static String user(int i) {
        return String.format("user%02d", i);
    }

    static String password(String user) {
        return "pw-" + user;
    }

    /** Node 1..size. */
    public OurServerProcess node(int n) {
        return nodes.get(n - 1);
    }

    /** The number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** Node {@code n}'s public endpoint (where node 1 sends its users with a 308). */
    public String endpoint(int n) {
        return node(n).endpoint();
    }

    /** The node number (1..size) of an endpoint of this cluster. */
    public int nodeAt(String endpoint) {
        for (int n = 1; n <= nodes.size(); n++) {
            if (endpoint(n).equals(endpoint)) {
                return n;
            }
        }
        throw new AssertionError("not an endpoint of the cluster: " + endpoint);
    }

    /** The node number the directory assigns {@code user} to (0: none yet). */
    int assignedNode(String user) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement st =
                        c.prepareStatement("SELECT node, state FROM cluster.assignments WHERE username = ?")) {
            st.setString(1, user);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                if (!rs.getString(2).equals("active")) {
                    throw new AssertionError(user + " is still " + rs.getString(2));
                }
                return Integer.parseInt(rs.getString(1).substring("node".length()));
            }
        }
    }

    /** The users whose collection is on node {@code n}'s disk. */
    Set<String> collectionsOn(int n) throws IOException {
        try (Stream<Path> folders = Files.list(node(n).dataDir())) {
            Set<String> users = new TreeSet<>();
            folders.filter(f -> Files.isRegularFile(f.resolve("collection.anki2")))
                    .forEach(f -> users.add(f.getFileName().toString()));
            return users;
        }
    }

    /** The S3 server holding the media. */
    S3Server s3() {
        return s3;
    }

    /** {@code java -jar ankisyncd.jar node ...} with the cluster's settings. */
    LauncherCli.Result nodeCommand(String... args) {
        List<String> all = new ArrayList<>(List.of("node"));
        all.addAll(List.of(args));
        return LauncherCli.run(common, "", all.toArray(String[]::new));
    }

    /** Ends every node, the S3 server and the database. */
    @Override
    public void close() {
        for (OurServerProcess node : nodes) {
            try {
                node.close();
            } catch (RuntimeException ignored) {
                // the others and the database are closed all the same
            }
        }
        if (s3 != null) {
            s3.close();
        }
        postgres.close();
    }
}
