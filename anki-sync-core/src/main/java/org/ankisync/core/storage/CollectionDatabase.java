package org.ankisync.core.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Opens collection files the way the official code does: WAL journal, 4 KiB
 * pages, durable commits, the {@code unicase} collation registered before any
 * other statement; prepared statements are kept for reuse while the connection
 * is open ({@link StatementCachingConnection}).
 */
public final class CollectionDatabase {

    /** The page cache of a connection in use, in KiB: the official code's 40 MiB. */
    public static final int CACHE_KIB = 40960;
    /** The page cache an idle connection keeps, in KiB (a server keeps up to 64 idle). */
    public static final int IDLE_CACHE_KIB = 256;

    private CollectionDatabase() {}

    /** Opens (without creating) a collection file; auto-commit is on. */
    public static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setPageSize(4096);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: every commit fsyncs the WAL before it returns, as the official server's
        // does. With NORMAL a power cut (not a crash) could lose a finished sync's
        // reviews after the client was told they were stored, and it never resends them.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5000);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.READWRITE);
        // Nothing here asks for generated keys; with this on, the driver matched a regex
        // against the SQL after every insert or update (3% of a bulk push's writes).
        config.setGetGeneratedKeys(false);
        String name = file.toAbsolutePath().toString();
        Connection connection = new StatementCachingConnection("jdbc:sqlite:" + name, name, config.toProperties());
        try {
            org.sqlite.Collation.create(connection, UnicaseCollation.NAME, new UnicaseCollation());
            try (Statement st = connection.createStatement()) {
                st.execute("pragma cache_size = -" + CACHE_KIB);
                st.execute("pragma legacy_file_format = false");
                // Statement journals and sort scratch in memory: a session's transaction
                // otherwise wrote hundreds of MB of temp files for one bulk sync.
                st.execute("pragma temp_store = memory");
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The first row of {@code pragma integrity_check}: {@code ok} for a healthy file. */
    public static String integrityCheck(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("pragma integrity_check")) {
            return rs.next() ? rs.getString(1) : "no result";
        }
    }

    /** Copies everything in the WAL into the main file and empties the WAL. */
    public static void checkpoint(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("pragma wal_checkpoint(truncate)");
        }
    }

    /**
     * Trims the connection's page cache to what an idle connection may keep
     * ({@link #IDLE_CACHE_KIB}): its most recently used pages stay, so the next
     * sync finds the pages every sync reads (the collection's row, the
     * notetypes, the tops of the usn indexes) without reading them again.
     * Dropping the whole cache here cost each small sync about 45 page reads
     * from the file. {@link #resumeCache} gives the cache its full size back.
     */
    public static void trimCache(Connection connection) throws SQLException {
        setCacheKib(connection, IDLE_CACHE_KIB);
    }

    /** Gives a connection taken from idle its full page cache again ({@link #CACHE_KIB}). */
    public static void resumeCache(Connection connection) throws SQLException {
        setCacheKib(connection, CACHE_KIB);
    }

    private static void setCacheKib(Connection connection, int kib) throws SQLException {
        // One of two texts, so the connection's statement cache keeps both prepared.
        try (PreparedStatement st = connection.prepareStatement("pragma cache_size = -" + kib)) {
            st.execute();
        }
    }
}
