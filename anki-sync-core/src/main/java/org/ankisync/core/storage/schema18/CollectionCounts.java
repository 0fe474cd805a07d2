package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** What {@code sanityCheck2} compares: pending usns and the object counts. */
public final class CollectionCounts {
    /** The tables whose rows carry a usn. */
    public static final List<String> USN_TABLES =
            List.of("cards", "notes", "revlog", "graves", "decks", "deck_config", "tags", "notetypes");
    /** The tables counted, in the order of the sanity check's count array (after its first entry). */
    public static final List<String> COUNTED =
            List.of("cards", "notes", "revlog", "graves", "notetypes", "decks", "deck_config");

    private CollectionCounts() {}

    /** Whether any row still has {@code usn = -1} (a change the merge left unstamped). */
    public static boolean anyPendingUsn(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            for (String table : USN_TABLES) {
                try (ResultSet rs = st.executeQuery("select exists (select 1 from " + table + " where usn = -1)")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Notes, cards and review entries (what a snapshot's metadata records), in one query. */
    public static long[] notesCardsRevlog(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select (select count() from notes), (select count() from cards),"
                        + " (select count() from revlog)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    /** The row counts of the {@link #COUNTED} tables, in that order. */
    public static long[] counts(Connection db) throws SQLException {
        long[] counts = new long[COUNTED.size()];
        try (Statement st = db.createStatement()) {
            for (int i = 0; i < counts.length; i++) {
                try (ResultSet rs = st.executeQuery("select count() from " + COUNTED.get(i))) {
                    rs.next();
                    counts[i] = rs.getLong(1);
                }
            }
        }
        return counts;
    }
}
