package org.ankisync.core.storage.schema18;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ankisync.core.storage.schema18.proto.NotetypeConfig;

/**
 * The schema-18 {@code notetypes}, {@code fields} and {@code templates} tables.
 * Every method uses the caller's connection (which must have the
 * {@code unicase} collation registered) and never commits.
 */
public final class NotetypeTable {

    private static final String SELECT = "select id, name, mtime_secs, usn, config from notetypes";
    /** Field 2 ({@code sort_field_idx}), wire type varint. */
    private static final int SORT_FIELD_IDX_TAG =
            NotetypeConfig.SORT_FIELD_IDX_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;

    private NotetypeTable() {}

    public static Optional<NotetypeRecord> find(Connection db, long id) throws SQLException {
        List<NotetypeRecord> found = query(db, SELECT + " where id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * What storing a note needs of its notetype: its field count and sort field,
     * in one query and without reading its templates or converting it to JSON
     * (every {@code applyChunk} with notes asks this).
     */
    public static Optional<NoteShape> noteShape(Connection db, long id) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(
                "select (select count() from fields where ntid = n.id), config from notetypes n where id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NoteShape(rs.getInt(1), sortFieldIndex(rs.getBytes(2), id)));
            }
        }
    }

    /**
     * {@code sort_field_idx} of a {@code NotetypeConfig} blob, read by skipping the
     * other fields (CSS, LaTeX, requirements) instead of decoding them all.
     */
    private static int sortFieldIndex(byte[] config, long id) {
        int index = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(config == null ? new byte[0] : config);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == SORT_FIELD_IDX_TAG) {
                    index = in.readUInt32();
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("notetype " + id + ": invalid protobuf blob: " + e.getMessage(), e);
        }
        return index & 0xffff;
    }

    /** A notetype's field count and the index of its sort field (as its legacy JSON's {@code sortf}). */
    public record NoteShape(int fieldCount, int sortFieldIndex) {}

    /** Notetypes with {@code usn >= minUsn} (so {@code -1} selects pending local changes too). */
    public static List<NotetypeRecord> changedSince(Connection db, int minUsn) throws SQLException {
        return query(db, SELECT + " where usn >= ? order by id", minUsn);
    }

    public static List<NotetypeRecord> all(Connection db) throws SQLException {
        return query(db, SELECT + " order by id");
    }

    /**
     * Inserts the notetype or updates the row with its id, then rewrites all
     * its fields and templates ({@code ord} as given). A name already used by
     * another notetype makes this fail (unique index): resolve clashes first.
     */
    public static void replace(Connection db, NotetypeRecord nt) throws SQLException {
        try (PreparedStatement st =
                db.prepareStatement("insert into notetypes (id, name, mtime_secs, usn, config) values (?, ?, ?, ?, ?) "
                        + "on conflict (id) do update set name = excluded.name, mtime_secs = excluded.mtime_secs, "
                        + "usn = excluded.usn, config = excluded.config")) {
            st.setLong(1, nt.id());
            st.setString(2, nt.name());
            st.setLong(3, nt.mtimeSecs());
            st.setInt(4, nt.usn());
            st.setBytes(5, nt.config());
            st.executeUpdate();
        }
        try (PreparedStatement st = db.prepareStatement("delete from fields where ntid = ?")) {
            st.setLong(1, nt.id());
            st.executeUpdate();
        }
        try (PreparedStatement st = db.prepareStatement("delete from templates where ntid = ?")) {
            st.setLong(1, nt.id());
            st.executeUpdate();
        }
        try (PreparedStatement st =
                db.prepareStatement("insert into fields (ntid, ord, name, config) values (?, ?, ?, ?)")) {
            for (FieldRecord f : nt.fields()) {
                st.setLong(1, nt.id());
                st.setInt(2, f.ord());
                st.setString(3, f.name());
                st.setBytes(4, f.config());
                st.executeUpdate();
            }
        }
        try (PreparedStatement st = db.prepareStatement(
                "insert into templates (ntid, ord, name, mtime_secs, usn, config) values (?, ?, ?, ?, ?, ?)")) {
            for (TemplateRecord t : nt.templates()) {
                st.setLong(1, nt.id());
                st.setInt(2, t.ord());
                st.setString(3, t.name());
                st.setLong(4, t.mtimeSecs());
                st.setInt(5, t.usn());
                st.setBytes(6, t.config());
                st.executeUpdate();
            }
        }
    }

    /** The id of the notetype with this name, compared with the {@code unicase} collation. */
    public static Optional<Long> idByName(Connection db, String name) throws SQLException {
        return Tables.idByName(db, "notetypes", name);
    }

    public static int count(Connection db) throws SQLException {
        return Tables.count(db, "notetypes");
    }

    /** Removes a notetype's row and its fields and templates (not its notes or cards). */
    public static void remove(Connection db, long id) throws SQLException {
        for (String sql : new String[] {
            "delete from fields where ntid = ?",
            "delete from templates where ntid = ?",
            "delete from notetypes where id = ?"
        }) {
            try (PreparedStatement st = db.prepareStatement(sql)) {
                st.setLong(1, id);
                st.executeUpdate();
            }
        }
    }

    private static List<NotetypeRecord> query(Connection db, String sql, Object... args) throws SQLException {
        List<NotetypeRecord> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            Tables.bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    out.add(new NotetypeRecord(
                            id,
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getInt(4),
                            rs.getBytes(5),
                            fields(db, id),
                            templates(db, id)));
                }
            }
        }
        return out;
    }

    private static List<FieldRecord> fields(Connection db, long ntid) throws SQLException {
        List<FieldRecord> out = new ArrayList<>();
        try (PreparedStatement st =
                db.prepareStatement("select ord, name, config from fields where ntid = ? order by ord")) {
            st.setLong(1, ntid);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new FieldRecord(rs.getInt(1), rs.getString(2), rs.getBytes(3)));
                }
            }
        }
        return out;
    }

    private static List<TemplateRecord> templates(Connection db, long ntid) throws SQLException {
        List<TemplateRecord> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(
                "select ord, name, mtime_secs, usn, config from templates where ntid = ? order by ord")) {
            st.setLong(1, ntid);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new TemplateRecord(
                            rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5)));
                }
            }
        }
        return out;
    }
}
