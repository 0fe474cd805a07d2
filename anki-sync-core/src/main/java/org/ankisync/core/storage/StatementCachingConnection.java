package org.ankisync.core.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A SQLite connection that keeps its prepared statements for reuse: closing one
 * resets it and puts it back, and the next {@code prepareStatement} of the same
 * SQL gets it again without parsing and planning the SQL anew.
 *
 * <p>Why: a collection connection stays open between requests (see
 * UserCollection), and a small sync runs the same few dozen statements every
 * time; preparing them was about a tenth of the server's CPU per sync. The
 * driver has no statement cache of its own.
 *
 * <p>A statement is only reused once it is closed, so two statements of the same
 * SQL in use at once are two statements, as without the cache. A closed one is
 * reset (its cursor and read transaction end) and its parameters cleared before
 * it waits here. At most {@link #CAPACITY} wait; the least recently used beyond
 * that are finalised, and all of them when the connection closes. Used by one
 * thread at a time, as any JDBC connection here.
 */
final class StatementCachingConnection extends JDBC4Connection {
    /** Enough for every statement of a sync, with room for the varying IN lists of the chunked queries. */
    static final int CAPACITY = 96;

    private final Map<String, ReusableStatement> parked = new LinkedHashMap<>(128, 0.75f, true);

    StatementCachingConnection(String url, String fileName, Properties properties) throws SQLException {
        super(url, fileName, properties);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
            return super.prepareStatement(sql, type, concurrency, holdability);
        }
        checkOpen();
        ReusableStatement kept = parked.remove(sql);
        if (kept != null && !kept.isClosed()) {
            kept.waiting = false;
            return kept;
        }
        return new ReusableStatement(this, sql);
    }

    /** How many closed statements wait for reuse (for tests). */
    int parkedStatements() {
        return parked.size();
    }

    /**
     * Takes back a statement its user closed; false if it cannot be kept (the
     * connection is closed, it is mid-batch, or one of its SQL already waits), and
     * then the caller finalises it.
     */
    private boolean keep(ReusableStatement statement) {
        if (isClosed() || !statement.readyForReuse() || parked.containsKey(statement.sql())) {
            return false;
        }
        statement.waiting = true;
        parked.put(statement.sql(), statement);
        if (parked.size() > CAPACITY) {
            var eldest = parked.entrySet().iterator();
            ReusableStatement old = eldest.next().getValue();
            eldest.remove();
            old.finalise();
        }
        return true;
    }

    @Override
    public void close() throws SQLException {
        List<ReusableStatement> all = new ArrayList<>(parked.values());
        parked.clear();
        for (ReusableStatement statement : all) {
            statement.finalise();
        }
        super.close();
    }

    @Override
    public boolean isClosed() {
        try {
            return super.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * A prepared statement whose {@code close} hands it back to its connection,
     * and whose result sets reuse the column names read on its first run.
     */
    private static final class ReusableStatement extends JDBC4PreparedStatement {
        /** {@code select *} or {@code t.*}: which columns those name can change with the schema. */
        private static final Pattern STAR = Pattern.compile("(?i)(select|,)\\s*(\\w+\\.)?\\*");

        private final StatementCachingConnection owner;
        /** Closed by its user and waiting in the cache: a second close is a no-op, as JDBC wants. */
        boolean waiting;
        /** The result's column names from the first run; null until then, and for {@link #STAR} queries. */
        private String[] columnNames;

        private final boolean namesFixed;

        ReusableStatement(StatementCachingConnection owner, String sql) throws SQLException {
            super((SQLiteConnection) owner, sql);
            this.owner = owner;
            this.namesFixed = !STAR.matcher(sql).find();
        }

        /**
         * The driver forgets a result set's column names when it is closed and
         * reads them again through JNI, one call per column, on every query: 3% of
         * the request threads' CPU in a profile of small syncs. The names of a
         * statement that lists its columns are fixed by its SQL, so they are read
         * once. (The driver only reads them when {@code colsMeta} is null.)
         */
        @Override
        public ResultSet getResultSet() throws SQLException {
            if (columnNames != null && rs.colsMeta == null) {
                rs.colsMeta = columnNames;
            }
            ResultSet result = super.getResultSet();
            if (result != null && columnNames == null && namesFixed) {
                columnNames = rs.colsMeta;
            }
            return result;
        }

        String sql() {
            return sql;
        }

        /**
         * Ends the statement's cursor (a reset, so it holds no read transaction)
         * and forgets its parameters; false if it is not fit to wait for reuse.
         */
        boolean readyForReuse() {
            try {
                if (pointer == null || pointer.isClosed() || batchPos != 0) {
                    return false;
                }
                rs.close();
                clearParameters();
                pointer.safeRunConsume((db, handle) -> db.reset(handle));
                clearGeneratedKeys();
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() throws SQLException {
            if (waiting) {
                return;
            }
            if (!owner.keep(this)) {
                super.close();
            }
        }

        /** Really closes it (when it leaves the cache). */
        void finalise() {
            waiting = false;
            try {
                super.close();
            } catch (SQLException ignored) {
                // the connection's close finalises whatever is left
            }
        }
    }
}
