package org.ankisync.media.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One user's server media database ({@code <user>/media.db}), schema version 4
 * as the official server writes it (media-sync.md section 4), so a data folder
 * can move between the two servers. Older (version 3) databases are migrated
 * on opening.
 *
 * <p>Not thread-safe: the caller holds the user's media lock while a database
 * is open.
 */
public final class ServerMediaDatabase implements AutoCloseable {
    public static final String FILE_NAME = "media.db";
    public static final int SCHEMA_VERSION = 4;
    private static final int BUSY_TIMEOUT_MS = 60_000;

    private static final String[] SCHEMA_V3 = {
        "CREATE TABLE IF NOT EXISTS media (fname text NOT NULL PRIMARY KEY, csum blob, sz int NOT NULL,"
                + " usn int NOT NULL, deleted int NOT NULL)",
        "CREATE INDEX IF NOT EXISTS ix_usn ON media (usn)",
        "CREATE TABLE IF NOT EXISTS meta (usn int NOT NULL, sz int NOT NULL)",
        "INSERT INTO meta (usn, sz) VALUES (0, 0)",
        "PRAGMA user_version = 3",
    };

    private static final String[] MIGRATE_V3_TO_V4 = {
        "ALTER TABLE media RENAME TO media_tmp",
        "DROP INDEX ix_usn",
        "CREATE TABLE media (fname text NOT NULL PRIMARY KEY, csum blob NOT NULL,"
                + " size int NOT NULL, usn int NOT NULL, mtime int NOT NULL)",
        "INSERT INTO media (fname, csum, size, usn, mtime)"
                + " SELECT fname, csum, sz, usn, deleted FROM media_tmp WHERE csum IS NOT NULL",
        "DROP TABLE media_tmp",
        "CREATE INDEX ix_usn ON media (usn)",
        "DROP TABLE meta",
        "CREATE TABLE meta (last_usn int NOT NULL, total_bytes int NOT NULL, total_nonempty_files int NOT NULL)",
        "INSERT INTO meta (last_usn, total_bytes, total_nonempty_files)"
                + " SELECT coalesce(max(usn), 0), coalesce(sum(size), 0), 0 FROM media",
        "UPDATE meta SET total_nonempty_files = (SELECT count(*) FROM media WHERE size > 0)",
        "PRAGMA user_version = 4",
    };

    private final Connection db;

    private ServerMediaDatabase(Connection db) {
        this.db = db;
    }

    /** Opens (creating or migrating as needed) the database at {@code file}. */
    public static ServerMediaDatabase open(Path file) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                s.execute("PRAGMA locking_mode = exclusive");
                s.execute("PRAGMA journal_mode = wal");
                // An upload's commit is what the client is told succeeded: fsync it (see MediaStore.flush).
                s.execute("PRAGMA synchronous = FULL");
            }
            ServerMediaDatabase database = new ServerMediaDatabase(connection);
            database.upgrade();
            connection.setAutoCommit(false);
            return database;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void upgrade() throws SQLException {
        int version;
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("media database has schema " + version + ", newer than " + SCHEMA_VERSION);
        }
        if (version < 3) {
            runInTransaction(SCHEMA_V3);
        }
        if (version < 4) {
            runInTransaction(MIGRATE_V3_TO_V4);
        }
    }

    private void runInTransaction(String[] statements) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            try {
                for (String sql : statements) {
                    s.execute(sql);
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    public MediaMeta meta() throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_usn, total_bytes, total_nonempty_files FROM meta")) {
            if (!rs.next()) {
                throw new SQLException("media meta row missing");
            }
            return new MediaMeta(rs.getInt(1), rs.getLong(2), rs.getLong(3));
        }
    }

    public void setMeta(MediaMeta meta) throws SQLException {
        try (PreparedStatement s =
                db.prepareStatement("UPDATE meta SET last_usn = ?, total_bytes = ?, total_nonempty_files = ?")) {
            s.setInt(1, meta.lastUsn());
            s.setLong(2, meta.totalBytes());
            s.setLong(3, meta.totalNonemptyFiles());
            s.executeUpdate();
        }
    }

    public Optional<MediaEntry> entry(String fname) throws SQLException {
        try (PreparedStatement s =
                db.prepareStatement("SELECT fname, csum, size, usn, mtime FROM media WHERE fname = ?")) {
            s.setString(1, fname);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Rows changed after {@code lastUsn}, oldest change first, at most {@code limit}. */
    public List<MediaEntry> changesSince(int lastUsn, int limit) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT fname, csum, size, usn, mtime FROM media WHERE usn > ? ORDER BY usn ASC LIMIT ?")) {
            s.setInt(1, lastUsn);
            s.setInt(2, limit);
            List<MediaEntry> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        }
    }

    public void setEntry(MediaEntry entry) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "INSERT OR REPLACE INTO media (fname, csum, size, usn, mtime) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, entry.fname());
            s.setBytes(2, entry.sha1());
            s.setLong(3, entry.size());
            s.setInt(4, entry.usn());
            s.setLong(5, entry.mtime());
            s.executeUpdate();
        }
    }

    /** Removes a row entirely (no deletion record), as for a file found missing on disk. */
    public void removeEntry(String fname) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("DELETE FROM media WHERE fname = ?")) {
            s.setString(1, fname);
            s.executeUpdate();
        }
    }

    public void commit() throws SQLException {
        db.commit();
    }

    public void rollback() throws SQLException {
        db.rollback();
    }

    private static MediaEntry row(ResultSet rs) throws SQLException {
        byte[] csum = rs.getBytes(2);
        return new MediaEntry(
                rs.getString(1), csum == null ? new byte[0] : csum, rs.getLong(3), rs.getInt(4), rs.getLong(5));
    }

    /** Rolls back anything uncommitted and closes. */
    @Override
    public void close() throws SQLException {
        try {
            if (!db.getAutoCommit()) {
                db.rollback();
            }
        } finally {
            db.close();
        }
    }
}
