package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.NewCollectionFactory;

/**
 * One user's collection file and sync state. Every request of the user runs
 * while holding the user's lock, so a user's requests are serialised while
 * different users never wait for each other. The lock is a semaphore rather
 * than a thread-owned lock because a streamed download releases it only after
 * its body has been written.
 */
public final class UserCollection {
    static final String FILE_NAME = "collection.anki2";

    private final String username;
    private final Path folder;
    private final Semaphore lock = new Semaphore(1, true);
    private final UserCollections registry;
    /** The file lock while the lock is held (set and cleared under the semaphore). */
    private UserFolderLock.Held folderLock;
    private SyncSession session;
    /** Session key -> the usn {@code meta} reported to it; a few recent ones. Only touched under the lock. */
    private final java.util.LinkedHashMap<String, Integer> usnSeenAtMeta = new java.util.LinkedHashMap<>(16, 0.75f,
            false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Integer> eldest) {
            return size() > 16;
        }
    };
    /**
     * A connection without a transaction, kept between requests (only touched
     * while holding the lock). Opening a connection per request cost a schema
     * parse, and closing the last one checkpointed the WAL with an fsync, in
     * every request; the official server keeps its collections open too.
     */
    private volatile Connection idle;
    volatile long idleSince;

    UserCollection(String username, Path folder) {
        this(username, folder, null);
    }

    UserCollection(String username, Path folder, UserCollections registry) {
        this.username = username;
        this.folder = folder;
        this.registry = registry;
    }

    public String username() {
        return username;
    }

    public Path folder() {
        return folder;
    }

    public Path file() {
        return folder.resolve(FILE_NAME);
    }

    /**
     * Takes the user's lock: first this process's semaphore, then the file
     * lock that the command line ({@code snapshot restore}, {@code backup})
     * honours too, so it never changes the collection under a request.
     */
    void acquire() {
        lock.acquireUninterruptibly();
        try {
            folderLock = UserFolderLock.acquire(folder, UserFolderLock.Part.COLLECTION);
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    void release() {
        UserFolderLock.Held held = folderLock;
        folderLock = null;
        try {
            if (held != null) {
                held.close();
            }
        } finally {
            lock.release();
        }
    }

    /** Remembers what {@code meta} told the client that uses this session key. */
    void rememberMetaUsn(String sessionKey, int usn) {
        if (!sessionKey.isEmpty()) {
            usnSeenAtMeta.put(sessionKey, usn);
        }
    }

    /** The usn {@code meta} reported to this session key, if it is one of the recent ones. */
    java.util.Optional<Integer> metaUsn(String sessionKey) {
        return java.util.Optional.ofNullable(usnSeenAtMeta.get(sessionKey));
    }

    /** Only this process's semaphore: enough to close the kept connection, which no other process shares. */
    boolean tryAcquireInProcess() {
        return lock.tryAcquire();
    }

    void releaseInProcess() {
        lock.release();
    }

    /** The running normal sync, or null. Only touched while holding the lock. */
    SyncSession session() {
        return session;
    }

    void session(SyncSession newSession) {
        this.session = newSession;
    }

    /** Rolls back and forgets the running session, if any. */
    void abortSession() {
        SyncSession running = session;
        session = null;
        if (running != null) {
            running.rollbackAndRelease(this);
        }
    }

    /** Creates the collection if the user has none yet. */
    void ensureExists(NewCollectionFactory factory) throws IOException, SQLException {
        if (!Files.exists(file())) {
            Files.createDirectories(folder);
            factory.create(file());
        }
    }

    /**
     * A connection to the (existing) collection, in auto-commit mode: the kept
     * one, or a new one. Call with the lock held; hand it back with
     * {@link #giveBack} (or close it).
     */
    Connection open() throws SQLException {
        Connection kept = idle;
        idle = null;
        if (kept != null) {
            if (!kept.isClosed() && kept.getAutoCommit()) {
                return kept;
            }
            closeQuietly(kept);
        }
        return CollectionDatabase.open(file());
    }

    /**
     * Takes back a connection after a request (with the lock held). It is kept
     * only when it is healthy and has no transaction open; its page cache is
     * released, so an idle connection holds little memory.
     */
    void giveBack(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            if (idle == null && !connection.isClosed() && connection.getAutoCommit()) {
                try (Statement st = connection.createStatement()) {
                    st.execute("pragma shrink_memory");
                }
                idle = connection;
                idleSince = System.nanoTime();
                if (registry != null) {
                    registry.kept(this);
                }
                return;
            }
        } catch (SQLException e) {
            // not reusable: closed below
        }
        closeQuietly(connection);
    }

    /**
     * Closes the kept connection (with the lock held): before the file is
     * replaced or prepared for download, and to bound how many stay open.
     */
    void closeIdle() {
        Connection kept = idle;
        idle = null;
        if (kept != null) {
            closeQuietly(kept);
        }
    }

    boolean hasIdle() {
        return idle != null;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }
}
