package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ankisync.core.storage.UserFolders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry of per-user collections below the collections path. */
public final class UserCollections {
    private static final Logger LOG = LoggerFactory.getLogger(UserCollections.class);
    private final UserFolders folders;
    /**
     * How many users may keep an idle collection connection open (each holds
     * three file descriptors). Beyond it, every sync of a user whose connection
     * was closed opens the collection again, and closing the last connection of a
     * collection checkpoints it with an fsync. With 100 users syncing in turn, 64
     * kept connections cost a quarter more CPU per sync than 128 (7.0-8.0 ms
     * against 5.3-5.5 ms with 1000-note collections, 4.0-4.2 against 3.2-3.4 ms
     * with 50-note ones), and the peak RSS was no higher with 128: an idle
     * connection's page cache is trimmed to {@code IDLE_CACHE_KIB}, and opening
     * one allocates more than keeping it.
     */
    static final int MAX_IDLE_CONNECTIONS = 128;

    private final ConcurrentMap<String, UserCollection> byUser = new ConcurrentHashMap<>();
    /** How many users keep an idle connection. */
    private final AtomicInteger idleConnections = new AtomicInteger();

    public UserCollections(Path root) {
        this.folders = new UserFolders(root);
    }

    public Path root() {
        return folders.root();
    }

    /** The user's collection state; the user name must already be authenticated. */
    public UserCollection of(String username) {
        return byUser.computeIfAbsent(username, name -> {
            Path folder = folders.folder(name);
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
        try (DirectoryStream<Path> leftovers =
                Files.newDirectoryStream(folder, "{upload-,download-,new-collection}*.tmp*")) {
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
     * whose lock is free are closed (never waiting for a lock). A caller that may
     * not wait ({@code mayWait} false) closes none: closing the last connection
     * of a collection checkpoints it, with an fsync; the next that may does it.
     */
    void kept(UserCollection user, boolean mayWait) {
        // Counted as connections are kept and taken, not by walking every user: this
        // runs at the end of each request, and a server may know many users.
        int idle = idleConnections.incrementAndGet();
        while (mayWait && idle > MAX_IDLE_CONNECTIONS) {
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
            idle = idleConnections.get();
        }
    }

    /** A kept connection was taken again or closed. */
    void noLongerIdle() {
        idleConnections.decrementAndGet();
    }

    /** How many connections are kept idle now. */
    int idleConnections() {
        return idleConnections.get();
    }

    /** How many normal syncs are running now (a gauge; a moment's view). */
    public int openSessions() {
        int open = 0;
        for (UserCollection user : byUser.values()) {
            if (user.hasSession()) {
                open++;
            }
        }
        return open;
    }

    /** Rolls back every running session and closes kept connections (used at shutdown). */
    public void abortAll() {
        abortAll(Long.MAX_VALUE);
    }

    /**
     * Rolls back every running session and closes kept connections, waiting
     * at most {@code waitMillis} in all for locks that requests still hold.
     * A user whose lock stays held is left alone (the process is ending; the
     * request's uncommitted transaction dies with it, and a half-written
     * upload is a temporary file). Returns how many users were left alone.
     */
    public int abortAll(long waitMillis) {
        long deadline = waitMillis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() / 1_000_000 + waitMillis;
        int skipped = 0;
        for (UserCollection user : byUser.values()) {
            long left =
                    deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime() / 1_000_000);
            if (!user.tryAcquireInProcess(left)) {
                LOG.warn(
                        "shutdown: {} still has a request running; leaving it to the end of the process",
                        user.username());
                skipped++;
                continue;
            }
            try {
                user.abortSession();
                user.closeIdle();
            } finally {
                user.releaseInProcess();
            }
        }
        return skipped;
    }
}
