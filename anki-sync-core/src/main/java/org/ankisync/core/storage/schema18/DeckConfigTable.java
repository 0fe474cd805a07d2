package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schema-18 {@code deck_config} table. Uses the caller's connection and
 * never commits. Blobs are returned as stored; the range validation of
 * legacy-json.md 4.5 is applied by {@link LegacyJson#deckConfigToJson}.
 */
public final class DeckConfigTable {

    private static final String SELECT = "select id, name, mtime_secs, usn, config from deck_config";

    private DeckConfigTable() {}

    public static Optional<DeckConfigRecord> find(Connection db, long id) throws SQLException {
        List<DeckConfigRecord> found = query(db, SELECT + " where id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Deck configs with {@code usn >= minUsn}. */
    public static List<DeckConfigRecord> changedSince(Connection db, int minUsn) throws SQLException {
        return query(db, SELECT + " where usn >= ? order by id", minUsn);
    }

    public static List<DeckConfigRecord> all(Connection db) throws SQLException {
        return query(db, SELECT + " order by id");
    }

    /** Inserts the config or replaces the row with its id (names need not be unique). */
    public static void replace(Connection db, DeckConfigRecord conf) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "insert or replace into deck_config (id, name, mtime_secs, usn, config) values (?, ?, ?, ?, ?)")) {
            st.setLong(1, conf.id());
            st.setString(2, conf.name());
            st.setLong(3, conf.mtimeSecs());
            st.setInt(4, conf.usn());
            st.setBytes(5, conf.config());
            st.executeUpdate();
        }
    }

    public static int count(Connection db) throws SQLException {
        return Tables.count(db, "deck_config");
    }

    /** Removes the row; true if one was deleted. */
    public static boolean remove(Connection db, long id) throws SQLException {
        return Tables.delete(db, "deck_config", id);
    }

    private static List<DeckConfigRecord> query(Connection db, String sql, Object... args) throws SQLException {
        List<DeckConfigRecord> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            Tables.bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeckConfigRecord(
                            rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5)));
                }
            }
        }
        return out;
    }
}
