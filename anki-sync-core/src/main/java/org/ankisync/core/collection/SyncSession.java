package org.ankisync.core.collection;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A normal sync in progress: opened by {@code start}, committed by
 * {@code finish}. It owns a connection with an open transaction, so everything
 * the session writes becomes visible at once or not at all.
 */
final class SyncSession {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

    final String sessionKey;
    /** The collection usn at {@code start}; every object written in the session carries it. */
    final int serverUsn;
    /** The client's last-sync usn: server rows with usn >= this changed since then. */
    final int clientUsn;
    /** lnewer: the client sends config and crt; the server does not. */
    final boolean clientIsNewer;

    final Connection db;
    /** Lazily taken at the first {@code chunk}: what remains to send. */
    ChunkQueue outgoing;

    long lastUsedMillis;

    SyncSession(String sessionKey, int serverUsn, int clientUsn, boolean clientIsNewer, Connection db, long nowMillis) {
        this.sessionKey = sessionKey;
        this.serverUsn = serverUsn;
        this.clientUsn = clientUsn;
        this.clientIsNewer = clientIsNewer;
        this.db = db;
        this.lastUsedMillis = nowMillis;
    }

    /**
     * Rolls back whatever is uncommitted and hands the connection back to the
     * user (kept for the next request only if it is back in auto-commit mode
     * with no transaction; otherwise closed).
     */
    void rollbackAndRelease(UserCollection user) {
        boolean reusable = false;
        try {
            if (!db.isClosed()) {
                db.rollback();
                db.setAutoCommit(true);
                reusable = true;
            }
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
        if (reusable) {
            user.giveBack(db);
            return;
        }
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("close failed: {}", e.getMessage());
        }
    }
}
