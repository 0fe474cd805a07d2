package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

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
     * The entries with these ids (those that exist), by id, each as the JSON
     * array of its nine numbers that a {@code chunk} sends. One query per 500
     * ids; see {@link Tables#jsonRowsById}.
     */
    public static Map<Long, JsonBytes> jsonById(Connection db, List<Long> ids) throws SQLException {
        return Tables.jsonRowsById(db, JSON_SELECT, ids);
    }

    private static final String JSON_SELECT = "select id, json_array("
            + Tables.asIntegers("id", "cid", "usn", "ease", "ivl", "lastIvl", "factor", "time", "type")
            + ") from revlog";

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
