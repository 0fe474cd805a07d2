package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Small JDBC helpers shared by the table classes. */
final class Tables {

    private Tables() {
    }

    static void bind(PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long l) {
                st.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                st.setInt(i + 1, n);
            } else {
                st.setObject(i + 1, a);
            }
        }
    }

    /** Table names are constants of this package, never user input. */
    static Optional<Long> idByName(Connection db, String table, String name) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select id from " + table + " where name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    static int count(Connection db, String table) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static boolean delete(Connection db, String table, long id) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("delete from " + table + " where id = ?")) {
            st.setLong(1, id);
            return st.executeUpdate() > 0;
        }
    }
}
