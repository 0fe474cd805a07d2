package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schema-18 {@code decks} table. Uses the caller's connection (with the
 * {@code unicase} collation) and never commits. Names are in the native form
 * (components joined by U+001F).
 */
public final class DeckTable {

    private static final String SELECT = "select id, name, mtime_secs, usn, common, kind from decks";

    private DeckTable() {}

    public static Optional<DeckRecord> find(Connection db, long id) throws SQLException {
        List<DeckRecord> found = query(db, SELECT + " where id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Decks with {@code usn >= minUsn}. */
    public static List<DeckRecord> changedSince(Connection db, int minUsn) throws SQLException {
        return query(db, SELECT + " where usn >= ? order by id", minUsn);
    }

    public static List<DeckRecord> all(Connection db) throws SQLException {
        return query(db, SELECT + " order by id");
    }

    /**
     * Inserts the deck or updates the row with its id. A name already used by
     * another deck makes this fail (unique index): resolve clashes first.
     */
    public static void replace(Connection db, DeckRecord deck) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "insert into decks (id, name, mtime_secs, usn, common, kind) values (?, ?, ?, ?, ?, ?) "
                        + "on conflict (id) do update set name = excluded.name, mtime_secs = excluded.mtime_secs, "
                        + "usn = excluded.usn, common = excluded.common, kind = excluded.kind")) {
            st.setLong(1, deck.id());
            st.setString(2, deck.name());
            st.setLong(3, deck.mtimeSecs());
            st.setInt(4, deck.usn());
            st.setBytes(5, deck.common());
            st.setBytes(6, deck.kind());
            st.executeUpdate();
        }
    }

    /** The id of the deck with this native name, compared with the {@code unicase} collation. */
    public static Optional<Long> idByName(Connection db, String nativeName) throws SQLException {
        return Tables.idByName(db, "decks", nativeName);
    }

    public static int count(Connection db) throws SQLException {
        return Tables.count(db, "decks");
    }

    /** Removes the deck row only (no cards, no graves); true if a row was deleted. */
    public static boolean remove(Connection db, long id) throws SQLException {
        return Tables.delete(db, "decks", id);
    }

    private static List<DeckRecord> query(Connection db, String sql, Object... args) throws SQLException {
        List<DeckRecord> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            Tables.bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeckRecord(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getInt(4),
                            rs.getBytes(5),
                            rs.getBytes(6)));
                }
            }
        }
        return out;
    }
}
