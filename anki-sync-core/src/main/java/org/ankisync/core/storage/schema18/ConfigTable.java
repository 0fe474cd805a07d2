package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code config} table: key to JSON value (as UTF-8 bytes). Never commits. */
public final class ConfigTable {

    private ConfigTable() {}

    /** Every entry, ordered by key. */
    public static Map<String, byte[]> all(Connection db) throws SQLException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (PreparedStatement st = db.prepareStatement("select key, val from config order by key");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                entries.put(rs.getString(1), rs.getBytes(2));
            }
        }
        return entries;
    }

    /** The value of {@code key} as text, or null if there is none. */
    public static String text(Connection db, String key) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("select cast(val as text) from config where key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Marks every entry as sent ({@code usn = 0}), as the official server does when it sends its config. */
    public static void markSent(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("update config set usn = 0")) {
            st.executeUpdate();
        }
    }

    /** Replaces the whole config with {@code entries}, each stamped with {@code usn} and {@code mtimeSecs}. */
    public static void replaceAll(Connection db, Map<String, byte[]> entries, int usn, long mtimeSecs)
            throws SQLException {
        try (PreparedStatement st = db.prepareStatement("delete from config")) {
            st.executeUpdate();
        }
        try (PreparedStatement ps =
                db.prepareStatement("insert or replace into config (key, usn, mtime_secs, val) values (?, ?, ?, ?)")) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ps.setString(1, entry.getKey());
                ps.setInt(2, usn);
                ps.setLong(3, mtimeSecs);
                ps.setBytes(4, entry.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
