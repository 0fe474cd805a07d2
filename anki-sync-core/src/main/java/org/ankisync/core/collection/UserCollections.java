package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ankisync.core.auth.UserNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry of per-user collections below the collections path. */
public final class UserCollections {
    private static final Logger LOG = LoggerFactory.getLogger(UserCollections.class);
    private final Path root;
    /** How many users may keep an idle collection connection open (each holds three file descriptors). */
    static final int MAX_IDLE_CONNECTIONS = 64;
    private final ConcurrentMap<String, UserCollection> byUser = new ConcurrentHashMap<>();

    public UserCollections(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The user's collection state; the user name must already be authenticated. */
    public UserCollection of(String username) {
        UserNames.requireValid(username);
        return byUser.computeIfAbsent(username, name -> {
            Path folder = root.resolve(name).normalize();
            if (!folder.getParent().equals(root)) {
                throw new IllegalArgumentException("user folder escapes the collections path: " + name);
            }
            removeLeftovers(folder);
            return new UserCollection(name, folder, this);
        });
    }

    /**
     * Temporary files of uploads, downloads and new collections that a crash
     * left behind. Runs the first time a user is seen, before any of the user's
     * requests can have started one.
     */
    private static void removeLeftovers(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder,
                "{upload-,download-,new-collection}*.tmp*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                LOG.info("removed {}, left by an interrupted transfer", leftover);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean up temporary files in {}: {}", folder, e.getMessage());
        }
    }

    /**
     * Called when {@code user} (whose lock is held) keeps an idle connection:
     * beyond {@link #MAX_IDLE_CONNECTIONS}, the longest-idle ones of other users
     * whose lock is free are closed (never waiting for a lock).
     */
    void kept(UserCollection user) {
        int idle = 0;
        for (UserCollection other : byUser.values()) {
            if (other.hasIdle()) {
                idle++;
            }
        }
        while (idle > MAX_IDLE_CONNECTIONS) {
            UserCollection oldest = null;
            for (UserCollection other : byUser.values()) {
                if (other != user && other.hasIdle() && (oldest == null || other.idleSince < oldest.idleSince)) {
                    oldest = other;
                }
            }
            if (oldest == null || !oldest.tryAcquireInProcess()) {
                return;
            }
            try {
                oldest.closeIdle();
            } finally {
                oldest.releaseInProcess();
            }
            idle--;
        }
    }

    /** Rolls back every running session and closes kept connections (used at shutdown). */
    public void abortAll() {
        for (UserCollection user : byUser.values()) {
            user.acquire();
            try {
                user.abortSession();
                user.closeIdle();
            } finally {
                user.release();
            }
        }
    }
}
