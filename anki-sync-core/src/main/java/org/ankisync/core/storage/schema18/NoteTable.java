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

    /** The rows with these ids (those that exist), by id, without sfld and csum; one query per 500 ids. */
    public static Map<Long, Row> rowsById(Connection db, List<Long> ids) throws SQLException {
        return Tables.rowsById(
                db,
                "select id, guid, mid, mod, usn, tags, flds from notes",
                ids,
                rs -> new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getString(7),
                        "",
                        0));
    }

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
