package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The {@code notes} table, as the collection sync uses it. Uses the caller's
 * connection and never commits.
 */
public final class NoteTable {

    private NoteTable() {}

    /**
     * One note as the sync sends and stores it.
     *
     * @param sfld the sort field (not sent; computed when stored)
     * @param csum the first field's checksum (not sent; computed when stored)
     */
    public record Row(
            long id, String guid, long mid, long mod, long usn, String tags, String flds, String sfld, long csum) {}

    public static List<Long> idsChangedSince(Connection db, int clientUsn) throws SQLException {
        return Tables.idsChangedSince(db, "notes", clientUsn);
    }

    /**
     * The rows with these ids (those that exist), in the order of {@code ids},
     * as the JSON array of rows a {@code chunk} sends: {@code id, guid, mid, mod,
     * usn, tags, flds}, then the {@code sfld, csum, flags, data} that are never
     * sent ({@code "", "", 0, ""}). See {@link Tables#jsonArrayOf}.
     */
    public static JsonBytes jsonArray(Connection db, List<Long> ids) throws SQLException {
        return Tables.jsonArrayOf(db, JSON_SELECT, ids);
    }

    // Numbers as JDBC's getLong reads them, text as getString does (NULL stays null).
    static final String JSON_SELECT = Tables.jsonArraySelect(
            "notes",
            Tables.asIntegers("c.id") + ", cast(c.guid as text), " + Tables.asIntegers("c.mid", "c.mod", "c.usn")
                    + ", cast(c.tags as text), cast(c.flds as text), '', '', 0, ''");

    /** The usn and mod of those of {@code ids} the server has (one query per 500 ids). */
    public static Map<Long, UsnAndMod> usnAndMod(Connection db, List<Long> ids) throws SQLException {
        return Tables.usnAndMod(db, "select id, usn, mod from notes", ids);
    }

    /** Opens the statements that write a chunk's notes; close it after the chunk. */
    public static Writer writer(Connection db) throws SQLException {
        return new Writer(db);
    }

    /** Writes notes (flags 0, data empty): UPDATE for known rows, INSERT for new ones, as {@link CardTable.Writer}. */
    public static final class Writer implements AutoCloseable {
        private final PreparedStatement insert;
        private final PreparedStatement update;

        private Writer(Connection db) throws SQLException {
            this.insert = db.prepareStatement("insert into notes (guid, mid, mod, usn,"
                    + " tags, flds, sfld, csum, id, flags, data) values (?,?,?,?,?,?,?,?,?,0,'')");
            PreparedStatement updateStatement = null;
            try {
                updateStatement = db.prepareStatement("update notes set guid = ?, mid = ?, mod = ?, usn = ?,"
                        + " tags = ?, flds = ?, sfld = ?, csum = ?, flags = 0, data = '' where id = ?");
            } finally {
                if (updateStatement == null) {
                    insert.close();
                }
            }
            this.update = updateStatement;
        }

        /** Writes one note; {@code exists} says whether the table has its id already. */
        public void write(Row row, boolean exists) throws SQLException {
            PreparedStatement write = exists ? update : insert;
            write.setString(1, row.guid());
            write.setLong(2, row.mid());
            write.setLong(3, row.mod());
            write.setLong(4, row.usn());
            write.setString(5, row.tags());
            write.setString(6, row.flds());
            write.setString(7, row.sfld());
            write.setLong(8, row.csum());
            write.setLong(9, row.id());
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
