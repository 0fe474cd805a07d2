package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** What {@code sanityCheck2} compares: pending usns and the object counts. */
public final class CollectionCounts {
    /** The tables whose rows carry a usn. */
    public static final List<String> USN_TABLES =
            List.of("cards", "notes", "revlog", "graves", "decks", "deck_config", "tags", "notetypes");
    /** The tables counted, in the order of the sanity check's count array (after its first entry). */
    public static final List<String> COUNTED =
            List.of("cards", "notes", "revlog", "graves", "notetypes", "decks", "deck_config");

    private static final String SANITY_SQL = sanitySql();

    private CollectionCounts() {}

    /**
     * The sanity check's view in one statement: whether any row still has
     * {@code usn = -1} (a change the merge left unstamped) and the row counts of
     * the {@link #COUNTED} tables. One query with sub-selects instead of one
     * statement per table (fifteen prepares per sync).
     */
    public static Sanity sanity(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(SANITY_SQL);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            long[] counts = new long[COUNTED.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = rs.getLong(i + 2);
            }
            return new Sanity(rs.getBoolean(1), counts);
        }
    }

    private static String sanitySql() {
        StringBuilder sql = new StringBuilder("select ");
        for (int i = 0; i < USN_TABLES.size(); i++) {
            sql.append(i == 0 ? "" : " or ")
                    .append("exists (select 1 from ")
                    .append(USN_TABLES.get(i))
                    .append(" where usn = -1)");
        }
        for (String table : COUNTED) {
            sql.append(", (select count() from ").append(table).append(')');
        }
        return sql.toString();
    }

    /** Whether a change is left unstamped, and the counts of the {@link #COUNTED} tables in that order. */
    public record Sanity(boolean anyPendingUsn, long[] counts) {}

    /** Notes, cards and review entries (what a snapshot's metadata records), in one query. */
    public static long[] notesCardsRevlog(Connection db) throws SQLException {
        try (PreparedStatement st =
                        db.prepareStatement("select (select count() from notes), (select count() from cards),"
                                + " (select count() from revlog)");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }
}
