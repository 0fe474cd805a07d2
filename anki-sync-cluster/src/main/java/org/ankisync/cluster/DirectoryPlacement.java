package org.ankisync.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ankisync.core.cluster.Placement;
import org.ankisync.core.cluster.UserPlacement;

/**
 * Answers "which node serves this user" from the directory, read on every
 * request (one indexed lookup), so that a move takes effect on every node at
 * once. A user without an assignment is placed: here if this node already has
 * the user's collection on disk, else by the directory's rule.
 */
public final class DirectoryPlacement implements UserPlacement {
    private final NodeDirectory directory;
    private final String self;
    private final Path collections;

    public DirectoryPlacement(NodeDirectory directory, String self, Path collections) {
        this.directory = directory;
        this.self = self;
        this.collections = collections;
    }

    @Override
    public Placement locate(String username) {
        NodeDirectory.Assignment assignment = directory
                .assignment(username)
                .orElseGet(
                        () -> directory.place(username, holdsFiles(username) ? Optional.of(self) : Optional.empty()));
        if (assignment.moving()) {
            return Placement.MOVING;
        }
        if (assignment.node().equals(self)) {
            return Placement.HERE;
        }
        return new Placement.Elsewhere(directory
                .publicEndpoint(assignment.node())
                .orElseThrow(() -> new IllegalStateException("no node " + assignment.node())));
    }

    private boolean holdsFiles(String username) {
        return Files.isRegularFile(collections.resolve(username).resolve("collection.anki2"));
    }
}
