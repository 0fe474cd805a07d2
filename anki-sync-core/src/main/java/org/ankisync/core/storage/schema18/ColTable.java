package org.ankisync.core.storage.schema18;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The one-row {@code col} table: the collection's times and usn. Never commits. */
public final class ColTable {

    private ColTable() {}

    /** What {@code meta} reports of the collection. */
    public record State(long mod, long scm, int usn) {}

    /** The collection's mod, scm and usn; empty if {@code col} has no row. */
    public static Optional<State> state(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select mod, scm, usn from col");
                ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(new State(rs.getLong(1), rs.getLong(2), rs.getInt(3))) : Optional.empty();
        }
    }

    /** The collection's usn, or 0 if {@code col} has no row. */
    public static int usnOrZero(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select usn from col");
                ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * A restored snapshot: new {@code scm} and {@code mod} (so every client's next
     * {@code meta} asks for a full sync) and a usn above both its own and {@code liveUsn}.
     */
    public static void restampRestored(Connection db, long nowMillis, int liveUsn) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "update col set scm = max(?, scm + 1), mod = max(?, mod + 1), usn = max(usn, ?) + 1")) {
            ps.setLong(1, nowMillis);
            ps.setLong(2, nowMillis);
            ps.setInt(3, liveUsn);
            ps.executeUpdate();
        }
    }

    /** A collection restored from a backup: new {@code scm} and {@code mod}, so clients do a full sync. */
    public static void restampFromBackup(Connection db, long nowMillis) throws SQLException {
        try (PreparedStatement ps =
                db.prepareStatement("update col set scm = max(?, scm + 1), mod = max(?, mod + 1)")) {
            ps.setLong(1, nowMillis);
            ps.setLong(2, nowMillis);
            ps.executeUpdate();
        }
    }

    /** The collection's usn (the one the session's objects are stamped with). */
    public static int usn(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select usn from col");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    public static long crt(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select crt from col");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void setCrt(Connection db, long crt) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("update col set crt = ?")) {
            ps.setLong(1, crt);
            ps.executeUpdate();
        }
    }

    /** The end of a normal sync: {@code ls = mod = now}, {@code usn + 1}. */
    public static void finishSync(Connection db, long nowMillis) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("update col set ls = ?, mod = ?, usn = usn + 1")) {
            ps.setLong(1, nowMillis);
            ps.setLong(2, nowMillis);
            ps.executeUpdate();
        }
    }

    /** Before a full download: {@code usn + 1}, {@code mod = now}. */
    public static void prepareDownload(Connection db, long nowMillis) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("update col set usn = usn + 1, mod = ?")) {
            ps.setLong(1, nowMillis);
            ps.executeUpdate();
        }
    }
}
