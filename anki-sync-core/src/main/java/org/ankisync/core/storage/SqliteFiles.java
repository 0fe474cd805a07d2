package org.ankisync.core.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whole-file operations on any SQLite database (collections, media databases,
 * the account database), for snapshots and backups.
 */
public final class SqliteFiles {

    private SqliteFiles() {}

    /**
     * Writes a consistent, compacted copy of the database to {@code target}
     * ({@code VACUUM INTO}: one read transaction, so the file may be in use).
     */
    public static void vacuumInto(Connection db, Path target) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("vacuum into '" + target.toString().replace("'", "''") + "'");
        }
    }

    /** How long statements of this connection wait for another's lock. */
    public static void busyTimeout(Connection db, int millis) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("pragma busy_timeout = " + millis);
        }
    }

    /** Takes and at once gives back the write lock; fails if another connection holds a write transaction. */
    public static void probeWriteLock(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("begin immediate");
            st.execute("rollback");
        }
    }
}
