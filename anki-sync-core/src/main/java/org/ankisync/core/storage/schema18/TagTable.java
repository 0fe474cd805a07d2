package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ankisync.core.storage.TagNames;
import org.ankisync.core.storage.UnicaseCollation;

/** The {@code tags} table. Never commits. */
public final class TagTable {

    private TagTable() {}

    /** Tags with {@code usn >= clientUsn} (for {@code -1}: those with {@code usn = -1}). */
    public static List<String> changedSince(Connection db, int clientUsn) throws SQLException {
        // -1 asks for the pending tags (usn = -1), not for a lower bound: "usn >= -1" is every row.
        String where = clientUsn == -1 ? "usn = -1" : "usn >= ?";
        List<String> tags = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement("select tag from tags where " + where)) {
            if (clientUsn != -1) {
                st.setInt(1, clientUsn);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    tags.add(rs.getString(1));
                }
            }
        }
        return tags;
    }

    /** Registers a tag unless it exists (case-insensitively); a new tag adopts its parents' capitalisation. */
    public static void register(Connection db, String rawTag, int usn) throws SQLException {
        String tag = TagNames.normalise(rawTag);
        if (find(db, tag).isPresent()) {
            return;
        }
        String[] parts = tag.split("::", -1);
        for (int prefixLength = parts.length - 1; prefixLength > 0; prefixLength--) {
            String prefix = String.join("::", Arrays.copyOfRange(parts, 0, prefixLength));
            Optional<String> parent = find(db, prefix);
            if (parent.isPresent()) {
                tag = parent.get() + tag.substring(prefix.length());
                break;
            }
        }
        try (PreparedStatement ps = db.prepareStatement(
                "insert or ignore into tags (tag, usn, collapsed, config) values (?, ?, 1, null)")) {
            ps.setString(1, tag);
            ps.setInt(2, usn);
            ps.executeUpdate();
        }
    }

    /** The stored spelling of {@code tag}, matched with the {@code unicase} collation. */
    private static Optional<String> find(Connection db, String tag) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("select tag from tags where tag = ?")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String found = rs.getString(1);
                    return UnicaseCollation.same(found, tag) ? Optional.of(found) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
