package org.ankisync.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.cluster.PlacementGate;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-to-node endpoints under {@code /cluster/}, HTTP-neutral like the
 * sync routes, each behind the cluster secret ({@code Authorization: Bearer}):
 * <ul>
 * <li>{@code GET export?user=U} (on the user's node, while the directory marks
 * the user as moving): waits until the user's running requests ended, then
 * streams the user's files ({@link UserFiles}).</li>
 * <li>{@code POST import?user=U} (on the move's target): receives that stream,
 * verifies it and puts the files in place.</li>
 * </ul>
 * The node command ({@link NodeCommand}) pipes one into the other and then
 * switches the directory.
 */
public final class ClusterEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEndpoints.class);
    /** How long an export waits for a user's running requests (a big full upload, say) to end. */
    private static final Duration DRAIN_WAIT = Duration.ofMinutes(5);

    private final String self;
    private final byte[] secret;
    private final NodeDirectory directory;
    private final PlacementGate gate;
    private final Path collections;

    public ClusterEndpoints(String self, String secret, NodeDirectory directory, PlacementGate gate, Path collections) {
        this.self = self;
        this.secret = ("Bearer " + secret).getBytes(StandardCharsets.UTF_8);
        this.directory = directory;
        this.gate = gate;
        this.collections = collections.toAbsolutePath().normalize();
    }

    public SyncReply handle(SyncCall call) {
        byte[] given = call.header("Authorization").orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, secret)) {
            return SyncReply.text(403, "the cluster secret is missing or wrong");
        }
        Optional<String> user = call.queryParameter("user").filter(u -> !u.isBlank());
        if (user.isEmpty()) {
            return SyncReply.text(400, "the user parameter is required");
        }
        Path folder = collections.resolve(user.get()).normalize();
        if (!folder.getParent().equals(collections)) {
            return SyncReply.text(400, "bad user name");
        }
        try {
            return switch (call.path()) {
                case "export" ->
                    call.httpMethod().equals("GET") ? export(user.get(), folder) : SyncReply.text(405, "GET only");
                case "import" ->
                    call.httpMethod().equals("POST")
                            ? receive(user.get(), folder, call)
                            : SyncReply.text(405, "POST only");
                default -> SyncReply.text(404, "not found: /cluster/" + call.path());
            };
        } catch (IOException | RuntimeException e) {
            LOG.warn("cluster {} of {} failed: {}", call.path(), user.get(), e.toString());
            return SyncReply.text(500, call.path() + " of " + user.get() + " failed: " + e.getMessage());
        }
    }

    private SyncReply export(String user, Path folder) {
        Optional<NodeDirectory.Assignment> assignment = directory.assignment(user);
        if (assignment.isEmpty()
                || !assignment.get().moving()
                || !assignment.get().node().equals(self)) {
            return SyncReply.text(409, user + " is not being moved away from " + self);
        }
        PlacementGate.Hold hold;
        try {
            hold = gate.hold(user, DRAIN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SyncReply.text(503, "interrupted");
        } catch (IllegalStateException e) {
            return SyncReply.text(409, e.getMessage());
        }
        LOG.info(
                "exporting {} for its move to {}",
                user,
                assignment.get().target().orElse("?"));
        Path scratch = collections.resolve(".export-" + user + "-" + System.nanoTime());
        return SyncReply.of(
                        200, Map.of("Content-Type", "application/zip"), out -> UserFiles.export(folder, scratch, out))
                .whenComplete(hold::close);
    }

    private SyncReply receive(String user, Path folder, SyncCall call) throws IOException {
        Optional<NodeDirectory.Assignment> assignment = directory.assignment(user);
        if (assignment.isEmpty()
                || !assignment.get().moving()
                || !assignment.get().target().equals(Optional.of(self))) {
            return SyncReply.text(409, user + " is not being moved to " + self);
        }
        if (Files.exists(folder)) {
            // This node served the user before: it may still hold the user's state in memory (an open
            // connection to the old file), which a new folder under it would not reach.
            return SyncReply.text(
                    409,
                    self + " still has " + user + "'s folder from an earlier stay; move it "
                            + "out of the collections folder and restart " + self + " before moving " + user
                            + " here again");
        }
        Path staging = collections.resolve(".import-" + user + "-" + System.nanoTime());
        try {
            Map<String, String> files = UserFiles.receive(call.body(), staging);
            UserFiles.install(staging, folder);
            LOG.info("received {} ({} files, verified)", user, files.size());
            return SyncReply.text(200, "{\"files\":" + files.size() + "}");
        } finally {
            UserFiles.deleteTree(staging);
        }
    }
}
