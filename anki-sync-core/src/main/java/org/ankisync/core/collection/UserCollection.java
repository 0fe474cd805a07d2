package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.http.WouldWaitException;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.NewCollectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's collection file and sync state. Every request of the user runs
 * while holding the user's lock, so a user's requests are serialised while
 * different users never wait for each other. The lock is a semaphore rather
 * than a thread-owned lock because a streamed download releases it only after
 * its body has been written.
 */
public final class UserCollection {
    private static final Logger LOG = LoggerFactory.getLogger(UserCollection.class);
    static final String FILE_NAME = "collection.anki2";
    /** The official server keeps abandoned sessions forever; we roll them back after this much silence. */
    static final long SESSION_IDLE_MILLIS = 30 * 60 * 1000L;

    private final String username;
    private final Path folder;
    private final Semaphore lock = new Semaphore(1, true);
    private final UserCollections registry;
    /** The file lock while the lock is held (set and cleared under the semaphore). */
    private UserFolderLock.Held folderLock;
    /**
     * The lock's holder may not wait (an event-loop thread): closing other users'
     * idle connections, which may checkpoint and sync their files, is left to the
     * next holder that may.
     */
    private boolean holderMayNotWait;

    private volatile SyncSession session;
    /** The session key of the last {@code meta} not yet followed by a sync step (see SyncOutcome.NO_CHANGES). */
    private final AtomicReference<String> pendingMeta = new AtomicReference<>();
    /** Session key -> the usn {@code meta} reported to it; a few recent ones. Only touched under the lock. */
    private final Map<String, Integer> usnSeenAtMeta = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
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

    /** Takes the user's lock (as {@link #acquire}) if it is free at once; false if anyone holds it. */
    boolean tryAcquire() {
        if (!lock.tryAcquire()) {
            return false;
        }
        try {
            folderLock = UserFolderLock.tryAcquire(folder, UserFolderLock.Part.COLLECTION);
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
        if (folderLock == null) {
            lock.release();
            return false;
        }
        return true;
    }

    void release() {
        UserFolderLock.Held held = folderLock;
        folderLock = null;
        holderMayNotWait = false;
        try {
            if (held != null) {
                // The lock file stays open while a collection connection is kept, idle or
                // in a running sync (it keeps files of this folder open anyway): reopening
                // it per request cost 6% of the request threads' CPU.
                if (idle != null || session != null) {
                    held.closeKeepingFile();
                } else {
                    held.close();
                }
            }
        } finally {
            lock.release();
        }
    }

    /**
     * Takes the user's lock for one request, telling {@code observer} how long
     * that took; closing the handle releases it.
     */
    Held lock(SyncObserver observer) {
        long before = System.nanoTime();
        acquire();
        observer.lockWaited(System.nanoTime() - before);
        return new Held();
    }

    /**
     * {@link #lock(SyncObserver)}, or, when the caller may not wait, the lock
     * only if it is free at once: otherwise {@link WouldWaitException}.
     */
    Held lock(SyncObserver observer, boolean mayWait) {
        if (mayWait) {
            return lock(observer);
        }
        if (!tryAcquire()) {
            throw new WouldWaitException("the collection of " + username + " is in use");
        }
        holderMayNotWait = true;
        observer.lockWaited(0);
        return new Held();
    }

    /** The user's lock, held until closed or handed to a streamed reply. */
    final class Held implements AutoCloseable {
        private boolean handedOver;

        private Held() {}

        /** The reply keeps the lock until its last byte is written ({@link SyncReply#complete()}). */
        SyncReply keepUntilWritten(SyncReply reply) {
            handedOver = true;
            return reply.whenComplete(UserCollection.this::release);
        }

        @Override
        public void close() {
            if (!handedOver) {
                release();
            }
        }
    }

    /**
     * Runs a step of the running normal sync (the session helper of rslib's
     * {@code with_sync_state}): the session key must be the running session's;
     * the body is read before the session counts as used (a broken body fails
     * without ending the sync); a step that fails rolls the whole session back
     * and is reported as 400 {@code op failed in sync_state}, as the official
     * server does. Call with the lock held.
     */
    SyncReply inSession(StepCall call, Clock clock, SyncObserver observer, SyncStep step) throws IOException {
        String sessionKey = call.request.sessionKey();
        if (sessionKey.isEmpty()) {
            throw SyncException.badRequest("missing skey");
        }
        SyncSession running = session;
        if (running == null) {
            throw SyncException.conflict("no active sync");
        }
        if (!running.sessionKey.equals(sessionKey)) {
            throw SyncException.conflict("active sync with different key");
        }
        call.body();
        running.lastUsedMillis = clock.millis();
        call.session(running);
        try {
            return step.handle(call);
        } catch (SQLException | IOException | RuntimeException e) {
            abortSession();
            observer.syncCompleted(SyncOutcome.FAILED);
            throw SyncException.badRequest("op failed in sync_state: " + e.getMessage(), e);
        }
    }

    /** Rolls back a session silent for longer than {@link #SESSION_IDLE_MILLIS}. Call with the lock held. */
    void expireIdleSession(long nowMillis) {
        SyncSession running = session;
        if (running != null && nowMillis - running.lastUsedMillis > SESSION_IDLE_MILLIS) {
            LOG.info("rolling back the abandoned sync of {}", username);
            abortSession();
        }
    }

    /**
     * A request of the user that is not a step of a collection sync (the media
     * sync after a collection sync, or the next {@code meta}): a {@code meta}
     * still pending was a sync without changes, since its client did not go on
     * to {@code start}, {@code upload} or {@code download}.
     */
    void countPendingMeta(SyncObserver observer) {
        if (takePendingMeta() != null) {
            observer.syncCompleted(SyncOutcome.NO_CHANGES);
        }
    }

    /** Remembers what {@code meta} told the client that uses this session key. */
    void rememberMetaUsn(String sessionKey, int usn) {
        if (!sessionKey.isEmpty()) {
            usnSeenAtMeta.put(sessionKey, usn);
        }
    }

    /** The usn {@code meta} reported to this session key, if it is one of the recent ones. */
    Optional<Integer> metaUsn(String sessionKey) {
        return Optional.ofNullable(usnSeenAtMeta.get(sessionKey));
    }

    /** Only this process's semaphore: enough to close the kept connection, which no other process shares. */
    boolean tryAcquireInProcess() {
        return lock.tryAcquire();
    }

    void releaseInProcess() {
        lock.release();
    }

    /** A {@code meta} was answered; legacy clients without a session key count under the empty key. */
    void pendingMeta(String sessionKey) {
        pendingMeta.set(sessionKey == null ? "" : sessionKey);
    }

    /** The pending {@code meta}'s session key, now no longer pending; null if none. */
    String takePendingMeta() {
        return pendingMeta.getAndSet(null);
    }

    /** Whether a normal sync is running (for the open-sessions gauge; read without the lock). */
    boolean hasSession() {
        return session != null;
    }

    /**
     * Only this process's semaphore, within {@code millis} (Long.MAX_VALUE: however
     * long it takes): enough at shutdown, as no other process shares our sessions.
     */
    boolean tryAcquireInProcess(long millis) {
        if (millis == Long.MAX_VALUE) {
            lock.acquireUninterruptibly();
            return true;
        }
        try {
            return lock.tryAcquire(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        Connection kept = takeIdle();
        if (kept != null) {
            if (!kept.isClosed() && kept.getAutoCommit()) {
                try {
                    CollectionDatabase.resumeCache(kept);
                    return kept;
                } catch (SQLException e) {
                    // not reusable: closed below
                }
            }
            closeQuietly(kept);
        }
        return CollectionDatabase.open(file());
    }

    /**
     * Takes back a connection after a request (with the lock held). It is kept
     * only when it is healthy and has no transaction open; its page cache is
     * trimmed to its most recent pages, so an idle connection holds little memory.
     */
    void giveBack(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            if (idle == null && !connection.isClosed() && connection.getAutoCommit()) {
                CollectionDatabase.trimCache(connection);
                idle = connection;
                idleSince = System.nanoTime();
                if (registry != null) {
                    registry.kept(this, !holderMayNotWait);
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
        Connection kept = takeIdle();
        if (kept != null) {
            closeQuietly(kept);
            UserFolderLock.closeKeptFile(folder);
        }
    }

    /** Takes the kept connection (null if none), telling the registry it is no longer idle. */
    private Connection takeIdle() {
        Connection kept = idle;
        idle = null;
        if (kept != null && registry != null) {
            registry.noLongerIdle();
        }
        return kept;
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
