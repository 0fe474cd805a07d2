package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
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
    private SyncSession session;
    /** Session key -> the usn {@code meta} reported to it; a few recent ones. Only touched under the lock. */
    private final java.util.LinkedHashMap<String, Integer> usnSeenAtMeta = new java.util.LinkedHashMap<>(16, 0.75f,
            false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Integer> eldest) {
            return size() > 16;
        }
    };

    UserCollection(String username, Path folder) {
        this.username = username;
        this.folder = folder;
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

    void acquire() {
        lock.acquireUninterruptibly();
    }

    void release() {
        lock.release();
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
            running.rollbackAndClose();
        }
    }

    /** Creates the collection if the user has none yet. */
    void ensureExists(NewCollectionFactory factory) throws IOException, SQLException {
        if (!Files.exists(file())) {
            Files.createDirectories(folder);
            factory.create(file());
        }
    }

    /** Opens a connection to the (existing) collection; the caller closes it. */
    Connection open() throws SQLException {
        return CollectionDatabase.open(file());
    }
}
