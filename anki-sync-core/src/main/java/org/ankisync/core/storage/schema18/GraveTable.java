package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code graves} table: deletions still to be told to other devices. Never commits. */
public final class GraveTable {

    /** What a grave records the deletion of, with its {@code type} column value and its table. */
    public enum Kind {
        CARD(0, "cards"),
        NOTE(1, "notes"),
        DECK(2, "decks");

        private final int type;
        private final String table;

        Kind(int type, String table) {
            this.type = type;
            this.table = table;
        }

        static Kind ofType(int type) throws SQLException {
            for (Kind kind : values()) {
                if (kind.type == type) {
                    return kind;
                }
            }
            throw new SQLException("unknown grave type " + type);
        }
    }

    /** One grave: the deleted object's id and kind. */
    public record Grave(long oid, Kind kind) {}

    private GraveTable() {}

    /** Graves with {@code usn >= clientUsn} (for {@code -1}: those with {@code usn = -1}). */
    public static List<Grave> since(Connection db, int clientUsn) throws SQLException {
        String sql = clientUsn == -1
                ? "select oid, type from graves where usn = -1"
                : "select oid, type from graves where usn >= ?";
        List<Grave> graves = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            if (clientUsn != -1) {
                ps.setInt(1, clientUsn);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    graves.add(new Grave(rs.getLong(1), Kind.ofType(rs.getInt(2))));
                }
            }
        }
        return graves;
    }

    /** Deletes the objects (their rows only) and records a grave for each with {@code usn}, in two batches. */
    public static void remove(Connection db, long[] ids, Kind kind, int usn) throws SQLException {
        if (ids.length == 0) {
            return;
        }
        try (PreparedStatement delete = db.prepareStatement("delete from " + kind.table + " where id = ?");
                PreparedStatement grave =
                        db.prepareStatement("insert or ignore into graves (oid, type, usn) values (?, ?, ?)")) {
            for (long id : ids) {
                delete.setLong(1, id);
                delete.addBatch();
                grave.setLong(1, id);
                grave.setInt(2, kind.type);
                grave.setInt(3, usn);
                grave.addBatch();
            }
            delete.executeBatch();
            grave.executeBatch();
        }
    }
}
