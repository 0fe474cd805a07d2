package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small JDBC helpers shared by the table classes. */
final class Tables {

    private Tables() {}

    static void bind(PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long l) {
                st.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                st.setInt(i + 1, n);
            } else {
                st.setObject(i + 1, a);
            }
        }
    }

    /** Table names are constants of this package, never user input. */
    static Optional<Long> idByName(Connection db, String table, String name) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select id from " + table + " where name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Reads one row of a result (the cursor is on it). */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Ids per {@code in (...)} query: far below SQLite's limit on bound parameters. */
    private static final int IDS_PER_QUERY = 500;

    /**
     * {@code select ... where id in (ids)}, keyed by the first column (the id):
     * one query per 500 ids, not one per row (a query per row cost a statement
     * execution and a column-name lookup through JNI for every object).
     */
    static <T> Map<Long, T> rowsById(Connection db, String select, List<Long> ids, RowReader<T> reader)
            throws SQLException {
        Map<Long, T> rows = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            StringBuilder sql = new StringBuilder(select).append(" where id in (");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "?" : ",?");
            }
            sql.append(')');
            try (PreparedStatement ps = db.prepareStatement(sql.toString())) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setLong(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getLong(1), reader.read(rs));
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The rows of {@code ids} that exist, as one JSON array that SQLite writes,
     * in the order of {@code ids}: {@code select} is {@code select
     * json_group_array(ROW) from json_each(?) j cross join TABLE c on c.id =
     * j.value}, with ROW the {@code json_array(...)} of one row.
     *
     * <p>Why SQLite writes the whole array: a chunk of 250 rows read row by row
     * (an {@code id in (...)} query with 250 parameters, prepared anew for each
     * chunk, then two JNI calls per row and a map to put them back in order) took
     * about half as long again as this one statement, prepared once, with one
     * value to read. The ids go in as one JSON array; {@code cross join} makes
     * {@code json_each} the outer loop, so each id is one primary-key lookup and
     * the rows are aggregated in the order of the ids. (An {@code order by j.key}
     * inside the aggregate would promise that order whatever the plan, but it
     * sorts every row's text again and took a third longer; ChunkRowJsonTest
     * checks both the plan and the order.) The bytes, not a String: decoding the
     * text and encoding it again for the reply was a quarter of a chunk's CPU.
     */
    static JsonBytes jsonArrayOf(Connection db, String select, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return JsonBytes.ofColumn(new byte[] {'[', ']'});
        }
        StringBuilder idArray = new StringBuilder(ids.size() * 15).append('[');
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                idArray.append(',');
            }
            idArray.append(ids.get(i).longValue());
        }
        try (PreparedStatement ps = db.prepareStatement(select)) {
            ps.setString(1, idArray.append(']').toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no result from " + select);
                }
                return JsonBytes.ofColumn(rs.getBytes(1));
            }
        }
    }

    /**
     * The {@code select} for {@link #jsonArrayOf}: rows of {@code table} (aliased
     * {@code c}), each written as {@code json_array(rowExpressions)}.
     */
    static String jsonArraySelect(String table, String rowExpressions) {
        return "select json_group_array(json_array(" + rowExpressions + ")) from json_each(?) j cross join " + table
                + " c on c.id = j.value";
    }

    /**
     * The columns as SQL expressions that give what JDBC's {@code getLong}
     * gives for them: SQLite's own conversion of a stored value to an integer
     * (a real truncated, text by its leading number), and 0 for NULL.
     */
    static String asIntegers(String... columns) {
        StringBuilder sql = new StringBuilder();
        for (String column : columns) {
            if (sql.length() > 0) {
                sql.append(", ");
            }
            sql.append("ifnull(cast(").append(column).append(" as integer), 0)");
        }
        return sql.toString();
    }

    /**
     * The ids of a table's rows changed since a client's last sync: {@code usn >= clientUsn},
     * or for {@code -1} (a client that never synced) the rows still marked {@code usn = -1}.
     * Table names are constants of this package.
     */
    static List<Long> idsChangedSince(Connection db, String table, int clientUsn) throws SQLException {
        String where = clientUsn == -1 ? "usn = -1" : "usn >= ?";
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("select id from " + table + " where " + where)) {
            if (clientUsn != -1) {
                ps.setInt(1, clientUsn);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** The server's usn and mod of those of {@code ids} it has (one query per 500 ids). */
    static Map<Long, UsnAndMod> usnAndMod(Connection db, String select, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return rowsById(db, select, ids, rs -> new UsnAndMod(rs.getInt(2), rs.getLong(3)));
    }

    static int count(Connection db, String table) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select count(*) from " + table);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static boolean delete(Connection db, String table, long id) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("delete from " + table + " where id = ?")) {
            st.setLong(1, id);
            return st.executeUpdate() > 0;
        }
    }
}
