package org.ankisync.auth;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * The account database ({@code ANKISYNCD_AUTH_DB_PATH}, default {@code ./users.db}):
 * SQLite in WAL mode, shared by the running server and the command line, so a
 * change made by one is seen by the other on its next query. Whoever caches
 * what it read compares {@link #changeMark} first: it moves with every change,
 * from this process or another.
 *
 * <pre>
 * users(name TEXT PRIMARY KEY, password TEXT  -- PHC string, created_at, updated_at)
 * host_keys(id INTEGER PRIMARY KEY AUTOINCREMENT, key_sha256 TEXT UNIQUE, user, credential,
 *           client_version, created_at, first_address, last_used_at, last_address)
 * </pre>
 * Times are milliseconds since the epoch. Only the SHA-256 of a host key is stored.
 */
public final class AuthDatabase implements AutoCloseable {
    private static final int SCHEMA_VERSION = 1;

    private final Path path;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    /** Kept prepared: it runs on every request that carries a host key. */
    private PreparedStatement changeQuery;

    private AuthDatabase(Path path, Connection connection) {
        this.path = path;
        this.connection = connection;
    }

    /** Opens (creating if needed, readable by its owner only) the database at {@code path}. */
    public static AuthDatabase open(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(path)
                    && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the account database " + path + ": " + e, e);
        }
        try {
            SQLiteConfig config = new SQLiteConfig();
            // Writers take the lock when their transaction begins: no lock upgrades that could fail as busy.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            config.setBusyTimeout(10_000);
            Connection c = config.createConnection("jdbc:sqlite:" + path);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                int version;
                try (var rs = s.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > SCHEMA_VERSION) {
                    throw new IllegalStateException(path + " was written by a newer version (schema " + version + ")");
                }
                s.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY NOT NULL, password TEXT NOT NULL,"
                        + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS host_keys (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " key_sha256 TEXT NOT NULL UNIQUE, user TEXT NOT NULL, credential TEXT,"
                        + " client_version TEXT, created_at INTEGER NOT NULL, first_address TEXT,"
                        + " last_used_at INTEGER NOT NULL, last_address TEXT)");
                s.execute("CREATE INDEX IF NOT EXISTS host_keys_user ON host_keys (user)");
                if (version < SCHEMA_VERSION) {
                    s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                }
            }
            return new AuthDatabase(path, c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the account database " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Work with the connection, one caller at a time. */
    <T> T with(SqlWork<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("account database " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where the database stands: {@code PRAGMA data_version} moves when any other
     * connection (the command line's, in another process) commits a change, and
     * {@code total_changes} when this connection changes rows. Equal marks mean
     * nothing changed in between. Cheap: the pragma reads the write-ahead log's
     * shared header, no page of the database, and the count is a field of the
     * connection.
     *
     * <p>Why not one {@code SELECT data_version, total_changes() FROM
     * pragma_data_version}: that form goes through the pragma's virtual table,
     * which prepares the pragma anew on every run, and it was 6% of the request
     * threads' CPU in a profile of many small syncs (it runs on every request).
     */
    ChangeMark changeMark(Connection c) throws SQLException {
        if (changeQuery == null) {
            changeQuery = c.prepareStatement("PRAGMA data_version");
        }
        // Stepped through the driver's statement handle: a JDBC query and result set
        // cost seven native calls here (the column names read again each time among
        // them), this three; together half of this method's 6% of request CPU.
        long othersCommits = ((CoreStatement) changeQuery).pointer.safeRunLong((db, statement) -> {
            try {
                int result = db.step(statement);
                if (result != Codes.SQLITE_ROW) {
                    throw DB.newSQLException(result, "PRAGMA data_version");
                }
                return db.column_long(statement, 0);
            } finally {
                db.reset(statement); // ends the statement's read transaction
            }
        });
        return new ChangeMark(
                othersCommits, c.unwrap(SQLiteConnection.class).getDatabase().total_changes());
    }

    /**
     * See {@link #changeMark}. Its equals and hashCode are written out: a record's own
     * go through an invokedynamic bootstrap that the C1 compiler (the launcher's
     * default) never inlines, and comparing marks on every request cost 1.4% of the
     * request threads' CPU that way.
     */
    record ChangeMark(long othersCommits, long ownChanges) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ChangeMark m && m.othersCommits == othersCommits && m.ownChanges == ownChanges;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(othersCommits) * 31 + Long.hashCode(ownChanges);
        }
    }

    /** Work in one transaction (rolled back if it throws). */
    <T> T inTransaction(SqlWork<T> work) {
        return with(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public void close() {
        with(c -> {
            if (changeQuery != null) {
                changeQuery.close();
            }
            c.close();
            return null;
        });
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
