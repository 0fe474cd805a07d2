package org.ankisync.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.ankisync.core.config.ConfigException;
import org.ankisync.postgres.ConnectionPool;

/**
 * {@code java -jar ankisyncd.jar node list|move|drain|activate ...}: the
 * directory seen and changed by an operator. A move marks the user as moving
 * (every node then refuses the user's syncs with a retryable error), streams
 * the user's files from the source node's {@code /cluster/export} into the
 * target's {@code /cluster/import} (which verifies every SHA-256 and the
 * collection's integrity), and only then points the directory at the target;
 * on any failure the user stays where it was.
 */
public final class NodeCommand {
    public static final String USAGE = String.join(
            "\n",
            "usage: java -jar ankisyncd.jar node COMMAND",
            "  node list                       nodes: state, endpoint, users, seconds since the last heartbeat",
            "  node move USER --to NODE        move one user's collection and media to NODE",
            "  node drain NODE                 take no new users on NODE and move all its users away",
            "  node activate NODE              let NODE take new users again",
            "  node cancel-move USER           end a move that was interrupted (USER stays on its node)",
            "Settings as the server's: ANKISYNCD_DATABASE_URL (and _USER, _PASSWORD), ANKISYNCD_CLUSTER_SECRET.");

    private final NodeDirectory directory;
    private final String secret;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    NodeCommand(NodeDirectory directory, String secret, PrintStream out) {
        this.directory = directory;
        this.secret = secret;
        this.out = out;
    }

    /** Runs {@code args} (starting with "node"); returns the exit status. */
    public static int run(List<String> args, Map<String, String> settings, PrintStream out, PrintStream err) {
        List<String> rest = args.subList(1, args.size());
        if (rest.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        ClusterSettings cluster;
        try {
            cluster = ClusterSettings.forCommand(settings);
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 2;
        }
        DataSource database;
        try {
            database = ClusterNode.openDirectory(cluster, "node-command");
        } catch (RuntimeException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 1;
        }
        try {
            NodeCommand command = new NodeCommand(new NodeDirectory(database), cluster.secret(), out);
            return switch (rest.get(0)) {
                case "list" -> command.list();
                case "move" ->
                    rest.size() == 4 && rest.get(2).equals("--to")
                            ? command.move(rest.get(1), rest.get(3))
                            : usage(err);
                case "drain" -> rest.size() == 2 ? command.drain(rest.get(1)) : usage(err);
                case "activate" -> rest.size() == 2 ? command.activate(rest.get(1)) : usage(err);
                case "cancel-move" -> rest.size() == 2 ? command.cancelMove(rest.get(1)) : usage(err);
                default -> usage(err);
            };
        } catch (MoveFailed | RuntimeException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 1;
        } finally {
            ConnectionPool.close(database);
        }
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }

    int list() {
        Instant now = Instant.now();
        out.printf("%-16s %-9s %6s %10s  %s%n", "NODE", "STATE", "USERS", "HEARTBEAT", "ENDPOINT");
        for (NodeDirectory.Node node : directory.nodes()) {
            long age = Duration.between(node.heartbeat(), now).toSeconds();
            out.printf(
                    "%-16s %-9s %6d %8ds%s  %s%n",
                    node.name(), node.state(), node.users(), age, node.alive(now) ? " " : "!", node.publicEndpoint());
        }
        return 0;
    }

    int activate(String node) {
        directory.setState(node, "active");
        out.println(node + " takes new users again");
        return 0;
    }

    /** For a move whose command died half-way: the user is served by its node again. */
    int cancelMove(String user) {
        directory.cancelMove(user);
        out.println(user + " is served by "
                + directory.assignment(user).map(NodeDirectory.Assignment::node).orElse("no node yet"));
        return 0;
    }

    int drain(String node) throws MoveFailed {
        directory.setState(node, "draining");
        List<String> users = directory.usersOf(node);
        out.println(node + " takes no new users; moving its " + users.size() + " users");
        for (String user : users) {
            String target = directory
                    .leastLoadedExcept(node)
                    .orElseThrow(() -> new IllegalStateException(
                            "no other active node with a recent heartbeat to move " + user + " to"));
            move(user, target);
        }
        return 0;
    }

    int move(String user, String target) throws MoveFailed {
        NodeDirectory.Node to = directory
                .node(target)
                .orElseThrow(() -> new IllegalArgumentException("no node named '" + target + "'"));
        NodeDirectory.Assignment assignment = directory
                .assignment(user)
                .orElseThrow(() -> new IllegalArgumentException(user + " has no node yet (never synced)"));
        if (assignment.node().equals(target) && !assignment.moving()) {
            out.println(user + " is already on " + target);
            return 0;
        }
        NodeDirectory.Node from = directory.node(assignment.node()).orElseThrow();
        if (!directory.startMove(user, target)) {
            throw new MoveFailed(user + " is being moved already");
        }
        long started = System.nanoTime();
        try {
            String files = copy(user, from, to);
            directory.finishMove(user, target);
            out.printf(
                    "moved %s from %s to %s in %d ms: %s%n",
                    user, from.name(), target, (System.nanoTime() - started) / 1_000_000, files);
            return 0;
        } catch (MoveFailed | RuntimeException e) {
            directory.cancelMove(user);
            throw new MoveFailed("moving " + user + " from " + from.name() + " to " + target + " failed, it stays on "
                    + from.name() + ": " + e.getMessage());
        }
    }

    /** Streams the export of {@code from} into the import of {@code to}; returns the target's summary. */
    private String copy(String user, NodeDirectory.Node from, NodeDirectory.Node to) throws MoveFailed {
        String query = "?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        try {
            HttpResponse<InputStream> export = http.send(
                    HttpRequest.newBuilder(URI.create(from.internalEndpoint() + "cluster/export" + query))
                            .header("Authorization", "Bearer " + secret)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream files = export.body()) {
                if (export.statusCode() != 200) {
                    throw new MoveFailed(from.name() + " refused the export: " + export.statusCode() + " "
                            + new String(files.readAllBytes(), StandardCharsets.UTF_8));
                }
                HttpResponse<String> received = http.send(
                        HttpRequest.newBuilder(URI.create(to.internalEndpoint() + "cluster/import" + query))
                                .header("Authorization", "Bearer " + secret)
                                .header("Content-Type", "application/zip")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> files))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (received.statusCode() != 200) {
                    throw new MoveFailed(
                            to.name() + " refused the files: " + received.statusCode() + " " + received.body());
                }
                return received.body();
            }
        } catch (IOException e) {
            throw new MoveFailed("copying the files: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoveFailed("interrupted");
        }
    }

    /** A move that did not happen (the user stays on its node). */
    static final class MoveFailed extends Exception {
        MoveFailed(String message) {
            super(message);
        }
    }
}
