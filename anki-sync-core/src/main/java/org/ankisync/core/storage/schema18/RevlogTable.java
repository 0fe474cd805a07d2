package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@code revlog} table, as {@code chunk} and {@code applyChunk} use it:
 * rows as the nine numbers {@code id, cid, usn, ease, ivl, lastIvl, factor,
 * time, type}. Uses the caller's connection and never commits.
 */
public final class RevlogTable {
    /** Numbers per row. */
    public static final int COLUMNS = 9;

    private RevlogTable() {}

    /** The ids of entries changed since the client's last sync. */
    public static List<Long> idsChangedSince(Connection db, int clientUsn) throws SQLException {
        return Tables.idsChangedSince(db, "revlog", clientUsn);
    }

    /**
     * The entries with these ids (those that exist), in the order of {@code ids},
     * as the JSON array a {@code chunk} sends: each entry the array of its nine
     * numbers. See {@link Tables#jsonArrayOf}.
     */
    public static JsonBytes jsonArray(Connection db, List<Long> ids) throws SQLException {
        return Tables.jsonArrayOf(db, JSON_SELECT, ids);
    }

    static final String JSON_SELECT = Tables.jsonArraySelect(
            "revlog",
            Tables.asIntegers(
                    "c.id", "c.cid", "c.usn", "c.ease", "c.ivl", "c.lastIvl", "c.factor", "c.time", "c.type"));

    /** Inserts the rows whose id is new, in one batch; entries already present are left as they are. */
    public static void insertNew(Connection db, List<long[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement("insert or ignore into revlog"
                + " (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values (?,?,?,?,?,?,?,?,?)")) {
            for (long[] row : rows) {
                for (int i = 0; i < COLUMNS; i++) {
                    ps.setLong(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
