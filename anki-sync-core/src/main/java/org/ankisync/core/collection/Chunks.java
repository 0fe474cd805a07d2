package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.storage.NoteText;

/**
 * Revlog entries, cards and notes: sent by {@code chunk}, received by
 * {@code applyChunk}, in the fixed-order arrays of collection-sync.md Appendix A.
 */
final class Chunks {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<Long> CARD_TYPES = Set.of(0L, 1L, 2L, 3L);
    private static final Set<Long> CARD_QUEUES = Set.of(-3L, -2L, -1L, 0L, 1L, 2L, 3L, 4L);

    private final NotetypeShapes notetypes;

    Chunks(NotetypeShapes notetypes) {
        this.notetypes = notetypes;
    }

    /** The ids the server will send: everything changed since the client's last sync. */
    static ChunkQueue pending(Connection db, int clientUsn) throws SQLException {
        return new ChunkQueue(ids(db, "revlog", clientUsn), ids(db, "cards", clientUsn), ids(db, "notes", clientUsn));
    }

    private static List<Long> ids(Connection db, String table, int clientUsn) throws SQLException {
        String where = clientUsn == -1 ? "usn = -1" : "usn >= ?";
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("select id from " + table + " where " + where)) {
            if (clientUsn != -1) {
                ps.setInt(1, clientUsn);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /**
     * The next {@code chunk} reply. Each table's rows are read with one query
     * per chunk ({@code id in (...)}), not one per row: a query per row cost a
     * statement execution and a column-name lookup through JNI for every object.
     * Rows go out in the queue's order, as before.
     */
    static ObjectNode next(Connection db, ChunkQueue queue) throws SQLException {
        ChunkQueue.Selection selection = queue.next();
        ObjectNode chunk = NODES.objectNode();
        chunk.put("done", selection.done);
        if (!selection.revlog.isEmpty()) {
            Map<Long, ArrayNode> rows = rowsById(db,
                    "select id, cid, usn, ease, ivl, lastIvl, factor, time, type from revlog", selection.revlog,
                    rs -> {
                        ArrayNode row = NODES.arrayNode();
                        for (int i = 1; i <= 9; i++) {
                            row.add(rs.getLong(i));
                        }
                        return row;
                    });
            addInOrder(chunk.putArray("revlog"), selection.revlog, rows);
        }
        if (!selection.cards.isEmpty()) {
            Map<Long, ArrayNode> rows = rowsById(db, "select id, nid, did, ord, cast(mod as integer), usn,"
                    + " type, queue, due, cast(ivl as integer), factor, reps, lapses, left, odue, odid, flags, data"
                    + " from cards", selection.cards, rs -> {
                        ArrayNode row = NODES.arrayNode();
                        for (int i = 1; i <= 17; i++) {
                            row.add(rs.getLong(i));
                        }
                        return row.add(nullToEmpty(rs.getString(18)));
                    });
            addInOrder(chunk.putArray("cards"), selection.cards, rows);
        }
        if (!selection.notes.isEmpty()) {
            Map<Long, ArrayNode> rows = rowsById(db, "select id, guid, mid, mod, usn, tags, flds from notes",
                    selection.notes, rs -> NODES.arrayNode()
                            .add(rs.getLong(1)).add(rs.getString(2)).add(rs.getLong(3)).add(rs.getLong(4))
                            .add(rs.getLong(5)).add(rs.getString(6)).add(rs.getString(7))
                            // sfld, csum, flags and data are never sent.
                            .add("").add("").add(0).add(""));
            addInOrder(chunk.putArray("notes"), selection.notes, rows);
        }
        return chunk;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Ids per {@code in (...)} query: far below SQLite's limit on bound parameters. */
    private static final int IDS_PER_QUERY = 500;

    /** {@code select ... where id in (ids)}, keyed by the first column (the id). */
    private static <T> Map<Long, T> rowsById(Connection db, String select, List<Long> ids, RowReader<T> reader)
            throws SQLException {
        Map<Long, T> rows = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            StringBuilder sql = new StringBuilder(select).append(" where id in (");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "?" : ",?");
            }
            sql.append(')');
            try (PreparedStatement ps = db.prepareStatement(sql.toString())) {
                for (int i = 0; i < part.size(); i++) {
                    ps.setLong(i + 1, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getLong(1), reader.read(rs));
                    }
                }
            }
        }
        return rows;
    }

    private static void addInOrder(ArrayNode target, List<Long> ids, Map<Long, ArrayNode> rows) {
        for (long id : ids) {
            ArrayNode row = rows.get(id);
            if (row != null) {
                target.add(row);
            }
        }
    }

    /** Merges one {@code applyChunk} chunk: revlog, then cards, then notes. */
    void apply(Connection db, JsonNode chunk, int clientUsn) throws SQLException {
        if (!chunk.isObject()) {
            throw JsonArgs.invalid("chunk must be an object");
        }
        applyRevlog(db, list(chunk, "revlog"));
        applyCards(db, list(chunk, "cards"), clientUsn);
        applyNotes(db, list(chunk, "notes"), clientUsn);
    }

    private static JsonNode list(JsonNode chunk, String key) {
        JsonNode node = chunk.get(key);
        if (node == null || node.isNull()) {
            return NODES.arrayNode();
        }
        if (!node.isArray()) {
            throw JsonArgs.invalid(key + " must be an array");
        }
        return node;
    }

    private static JsonNode row(JsonNode entry, int size, String what) {
        if (!entry.isArray() || entry.size() < size) {
            throw JsonArgs.invalid(what + " must be an array of " + size);
        }
        return entry;
    }

    private static void applyRevlog(Connection db, JsonNode entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement("insert or ignore into revlog"
                + " (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values (?,?,?,?,?,?,?,?,?)")) {
            for (JsonNode entry : entries) {
                JsonNode r = row(entry, 8, "revlog entry");
                ps.setLong(1, JsonArgs.integer(r.get(0), "revlog id"));
                ps.setLong(2, JsonArgs.integer(r.get(1), "revlog cid"));
                ps.setInt(3, usn(r.get(2)));
                long ease = JsonArgs.integer(r.get(3), "revlog ease");
                if (ease < 0 || ease > 255) {
                    throw JsonArgs.invalid("revlog ease out of range");
                }
                ps.setLong(4, ease);
                ps.setLong(5, JsonArgs.integer(r.get(4), "revlog ivl"));
                ps.setLong(6, JsonArgs.integer(r.get(5), "revlog lastIvl"));
                ps.setLong(7, Math.max(0, JsonArgs.integer(r.get(6), "revlog factor")));
                ps.setLong(8, Math.max(0, JsonArgs.integer(r.get(7), "revlog time")));
                long type = r.size() > 8 && r.get(8).isNumber() ? r.get(8).asLong() : 0;
                ps.setLong(9, type >= 0 && type <= 5 ? type : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void applyCards(Connection db, JsonNode entries, int clientUsn) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        Map<Long, long[]> existing = existing(db, "select id, usn, cast(mod as integer) from cards", entries);
        // UPDATE known rows and INSERT new ones rather than INSERT OR REPLACE: a REPLACE
        // inside the session's transaction needs a statement journal, which spilled to disk.
        Set<Long> stored = new HashSet<>(existing.keySet());
        try (PreparedStatement insert = db.prepareStatement("insert into cards (nid, did, ord, mod,"
                     + " usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data, id)"
                     + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
             PreparedStatement update = db.prepareStatement("update cards set nid = ?, did = ?, ord = ?,"
                     + " mod = ?, usn = ?, type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
                     + " lapses = ?, left = ?, odue = ?, odid = ?, flags = ?, data = ? where id = ?")) {
            for (JsonNode entry : entries) {
                JsonNode c = row(entry, 18, "card");
                long id = JsonArgs.integer(c.get(0), "card id");
                long mod = JsonArgs.integer(c.get(4), "card mod");
                if (serverKeepsOwn(existing, id, mod, clientUsn)) {
                    continue;
                }
                long type = JsonArgs.integer(c.get(6), "card type");
                long queue = JsonArgs.integer(c.get(7), "card queue");
                if (!CARD_TYPES.contains(type) || !CARD_QUEUES.contains(queue)) {
                    throw SyncException.badRequest("card " + id + " has an invalid type or queue");
                }
                long ord = JsonArgs.integer(c.get(3), "card ord");
                long factor = JsonArgs.integer(c.get(10), "card factor");
                long flags = JsonArgs.integer(c.get(16), "card flags");
                if (ord < 0 || ord > 65535 || factor < 0 || factor > 65535 || flags < 0 || flags > 255) {
                    throw SyncException.badRequest("card " + id + " has a value out of range");
                }
                PreparedStatement write = stored.add(id) ? insert : update;
                write.setLong(1, JsonArgs.integer(c.get(1), "card nid"));
                write.setLong(2, JsonArgs.integer(c.get(2), "card did"));
                write.setLong(3, ord);
                write.setLong(4, mod);
                write.setInt(5, usn(c.get(5)));
                write.setLong(6, type);
                write.setLong(7, queue);
                write.setInt(8, JsonArgs.int32(c.get(8), "card due"));
                write.setLong(9, Math.max(0, JsonArgs.integer(c.get(9), "card ivl")));
                write.setLong(10, factor);
                write.setLong(11, Math.max(0, JsonArgs.integer(c.get(11), "card reps")));
                write.setLong(12, Math.max(0, JsonArgs.integer(c.get(12), "card lapses")));
                write.setLong(13, Math.max(0, JsonArgs.integer(c.get(13), "card left")));
                write.setInt(14, JsonArgs.int32(c.get(14), "card odue"));
                write.setLong(15, JsonArgs.integer(c.get(15), "card odid"));
                write.setLong(16, flags);
                write.setString(17, JsonArgs.text(c.get(17), "card data"));
                write.setLong(18, id);
                write.executeUpdate();
            }
        }
    }

    private void applyNotes(Connection db, JsonNode entries, int clientUsn) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        Map<Long, NotetypeShapes.Shape> shapes = new HashMap<>();
        Map<Long, long[]> existing = existing(db, "select id, usn, mod from notes", entries);
        Set<Long> stored = new HashSet<>(existing.keySet());
        try (PreparedStatement insert = db.prepareStatement("insert into notes (guid, mid, mod, usn,"
                     + " tags, flds, sfld, csum, id, flags, data) values (?,?,?,?,?,?,?,?,?,0,'')");
             PreparedStatement update = db.prepareStatement("update notes set guid = ?, mid = ?, mod = ?, usn = ?,"
                     + " tags = ?, flds = ?, sfld = ?, csum = ?, flags = 0, data = '' where id = ?")) {
            for (JsonNode entry : entries) {
                JsonNode n = row(entry, 7, "note");
                long id = JsonArgs.integer(n.get(0), "note id");
                long mod = JsonArgs.integer(n.get(3), "note mod");
                if (serverKeepsOwn(existing, id, mod, clientUsn)) {
                    continue;
                }
                long mid = JsonArgs.integer(n.get(2), "note mid");
                NotetypeShapes.Shape shape = shapes.get(mid);
                if (shape == null) {
                    shape = notetypes.shape(db, mid).orElseThrow(() -> SyncException.badRequest(
                            "note " + id + " uses notetype " + mid + ", which does not exist"));
                    shapes.put(mid, shape);
                }
                String[] fields = NoteText.fields(JsonArgs.text(n.get(6), "note flds"));
                if (fields.length != Math.max(1, shape.fieldCount())) {
                    throw SyncException.badRequest("note " + id + " has " + fields.length + " fields but notetype "
                            + mid + " has " + shape.fieldCount());
                }
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = NoteText.cleanField(fields[i]);
                }
                PreparedStatement write = stored.add(id) ? insert : update;
                write.setString(1, JsonArgs.text(n.get(1), "note guid"));
                write.setLong(2, mid);
                write.setLong(3, mod);
                write.setInt(4, usn(n.get(4)));
                write.setString(5, JsonArgs.text(n.get(5), "note tags"));
                write.setString(6, String.join(String.valueOf(NoteText.FIELD_SEPARATOR), fields));
                write.setString(7, NoteText.sortField(fields, shape.sortFieldIndex()));
                write.setLong(8, NoteText.checksum(fields[0]));
                write.setLong(9, id);
                write.executeUpdate();
            }
        }
    }

    /**
     * The server's {@code usn} and {@code mod} of the chunk's objects that it
     * already has, read in one query (the chunk's ids are at most a chunk's
     * worth). Entries without a usable id are skipped here; validating them
     * is left to the caller's loop.
     */
    private static Map<Long, long[]> existing(Connection db, String select, JsonNode entries) throws SQLException {
        List<Long> ids = new ArrayList<>(entries.size());
        for (JsonNode entry : entries) {
            if (entry.isArray() && entry.size() > 0 && entry.get(0).canConvertToLong() && entry.get(0).isIntegralNumber()) {
                ids.add(entry.get(0).longValue());
            }
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        return rowsById(db, select, ids, rs -> new long[] {rs.getInt(2), rs.getLong(3)});
    }

    /**
     * The conflict rule for cards and notes: the server keeps its copy when it
     * changed since the client's last sync and is at least as new.
     */
    private static boolean serverKeepsOwn(Map<Long, long[]> existing, long id, long incomingMod, int clientUsn) {
        long[] server = existing.get(id);
        if (server == null) {
            return false;
        }
        long usn = server[0];
        long mod = server[1];
        boolean changedOnServer = clientUsn == -1 ? usn == -1 : usn >= clientUsn;
        return changedOnServer && mod >= incomingMod;
    }

    private static int usn(JsonNode node) {
        return JsonArgs.int32(node, "usn");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
