package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The {@code cards} table, as the collection sync uses it. A row is the
 * seventeen numbers {@code id, nid, did, ord, mod, usn, type, queue, due,
 * ivl, factor, reps, lapses, left, odue, odid, flags} and the text
 * {@code data}. Uses the caller's connection and never commits.
 */
public final class CardTable {
    /** Numbers per row, before {@code data}. */
    public static final int NUMBERS = 17;

    private CardTable() {}

    /**
     * One card row.
     *
     * @param numbers the {@link #NUMBERS} numbers, in column order starting with the id
     * @param data    the {@code data} column (never null)
     */
    public record Row(long[] numbers, String data) {
        public long id() {
            return numbers[0];
        }
    }

    public static List<Long> idsChangedSince(Connection db, int clientUsn) throws SQLException {
        return Tables.idsChangedSince(db, "cards", clientUsn);
    }

    /** Whether the collection has no cards ({@code meta}'s {@code empty}). */
    public static boolean isEmpty(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select not exists (select 1 from cards)");
                ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * The rows with these ids (those that exist), in the order of {@code ids},
     * as the JSON array of rows a {@code chunk} sends: each row the
     * {@link #NUMBERS} numbers, then {@code data}. See {@link Tables#jsonArrayOf}
     * for why SQLite writes it.
     */
    public static JsonBytes jsonArray(Connection db, List<Long> ids) throws SQLException {
        return Tables.jsonArrayOf(db, JSON_SELECT, ids);
    }

    static final String JSON_SELECT = Tables.jsonArraySelect(
            "cards",
            Tables.asIntegers(
                            "c.id",
                            "c.nid",
                            "c.did",
                            "c.ord",
                            "c.mod",
                            "c.usn",
                            "c.type",
                            "c.queue",
                            "c.due",
                            "c.ivl",
                            "c.factor",
                            "c.reps",
                            "c.lapses",
                            "c.left",
                            "c.odue",
                            "c.odid",
                            "c.flags")
                    + ", ifnull(cast(c.data as text), '')");

    /** The usn and mod of those of {@code ids} the server has (one query per 500 ids). */
    public static Map<Long, UsnAndMod> usnAndMod(Connection db, List<Long> ids) throws SQLException {
        return Tables.usnAndMod(db, "select id, usn, cast(mod as integer) from cards", ids);
    }

    /** Opens the statements that write a chunk's cards; close it after the chunk. */
    public static Writer writer(Connection db) throws SQLException {
        return new Writer(db);
    }

    /**
     * Writes cards: an UPDATE for rows the table has and an INSERT for new ones
     * rather than INSERT OR REPLACE, which inside the session's transaction
     * needs a statement journal that spilled to disk.
     */
    public static final class Writer implements AutoCloseable {
        private final PreparedStatement insert;
        private final PreparedStatement update;

        private Writer(Connection db) throws SQLException {
            this.insert = db.prepareStatement("insert into cards (nid, did, ord, mod,"
                    + " usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data, id)"
                    + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            PreparedStatement updateStatement = null;
            try {
                updateStatement = db.prepareStatement("update cards set nid = ?, did = ?, ord = ?,"
                        + " mod = ?, usn = ?, type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
                        + " lapses = ?, left = ?, odue = ?, odid = ?, flags = ?, data = ? where id = ?");
            } finally {
                if (updateStatement == null) {
                    insert.close();
                }
            }
            this.update = updateStatement;
        }

        /** Writes one card; {@code exists} says whether the table has its id already. */
        public void write(Row row, boolean exists) throws SQLException {
            PreparedStatement write = exists ? update : insert;
            long[] n = row.numbers();
            for (int i = 1; i < NUMBERS; i++) {
                write.setLong(i, n[i]);
            }
            write.setString(NUMBERS, row.data());
            write.setLong(NUMBERS + 1, n[0]);
            write.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            try {
                insert.close();
            } finally {
                update.close();
            }
        }
    }
}
