package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.storage.NoteText;
import org.ankisync.core.storage.schema18.CardTable;
import org.ankisync.core.storage.schema18.NoteTable;
import org.ankisync.core.storage.schema18.RevlogTable;
import org.ankisync.core.storage.schema18.UsnAndMod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code applyChunk}: the client's revlog entries, cards and notes, in the
 * fixed-order arrays of collection-sync.md Appendix A, checked and merged.
 */
final class ApplyChunk implements SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyChunk.class);
    private static final Set<Long> CARD_TYPES = Set.of(0L, 1L, 2L, 3L);
    private static final Set<Long> CARD_QUEUES = Set.of(-3L, -2L, -1L, 0L, 1L, 2L, 3L, 4L);

    private final NotetypeShapes notetypes;

    ApplyChunk(NotetypeShapes notetypes) {
        this.notetypes = notetypes;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        SyncSession session = call.session();
        JsonNode chunk = JsonArgs.required(call.body(), "chunk");
        LOG.debug(
                "applyChunk for {} ({}): {} revlog, {} cards, {} notes",
                call.user.username(),
                session.sessionKey,
                chunk.path("revlog").size(),
                chunk.path("cards").size(),
                chunk.path("notes").size());
        apply(session.db, chunk, session.clientUsn);
        return call.json(null);
    }

    /** Merges one chunk: revlog, then cards, then notes. */
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
            return JsonNodeFactory.instance.arrayNode();
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
        List<long[]> rows = new ArrayList<>(entries.size());
        for (JsonNode entry : entries) {
            JsonNode r = row(entry, 8, "revlog entry");
            long id = JsonArgs.integer(r.get(0), "revlog id");
            long cid = JsonArgs.integer(r.get(1), "revlog cid");
            int usn = usn(r.get(2));
            long ease = JsonArgs.integer(r.get(3), "revlog ease");
            if (ease < 0 || ease > 255) {
                throw JsonArgs.invalid("revlog ease out of range");
            }
            long[] values = {
                id,
                cid,
                usn,
                ease,
                JsonArgs.integer(r.get(4), "revlog ivl"),
                JsonArgs.integer(r.get(5), "revlog lastIvl"),
                Math.max(0, JsonArgs.integer(r.get(6), "revlog factor")),
                Math.max(0, JsonArgs.integer(r.get(7), "revlog time")),
                revlogType(r)
            };
            rows.add(values);
        }
        RevlogTable.insertNew(db, rows);
    }

    /** The review type; anything but 0-5 (or missing, from old clients) is stored as 0. */
    private static long revlogType(JsonNode r) {
        long type = r.size() > 8 && r.get(8).isNumber() ? r.get(8).asLong() : 0;
        return type >= 0 && type <= 5 ? type : 0;
    }

    private static void applyCards(Connection db, JsonNode entries, int clientUsn) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        Map<Long, UsnAndMod> existing = CardTable.usnAndMod(db, ids(entries));
        Set<Long> stored = new HashSet<>(existing.keySet());
        try (CardTable.Writer writer = CardTable.writer(db)) {
            for (JsonNode entry : entries) {
                JsonNode c = row(entry, 18, "card");
                long id = JsonArgs.integer(c.get(0), "card id");
                long mod = JsonArgs.integer(c.get(4), "card mod");
                if (serverKeepsOwn(existing, id, mod, clientUsn)) {
                    continue;
                }
                CardTable.Row card = card(c, id, mod);
                writer.write(card, !stored.add(id));
            }
        }
    }

    /** A card row checked as the official server's (From JSON) would. */
    private static CardTable.Row card(JsonNode c, long id, long mod) {
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
        long[] numbers = {
            id,
            JsonArgs.integer(c.get(1), "card nid"),
            JsonArgs.integer(c.get(2), "card did"),
            ord,
            mod,
            usn(c.get(5)),
            type,
            queue,
            JsonArgs.int32(c.get(8), "card due"),
            Math.max(0, JsonArgs.integer(c.get(9), "card ivl")),
            factor,
            Math.max(0, JsonArgs.integer(c.get(11), "card reps")),
            Math.max(0, JsonArgs.integer(c.get(12), "card lapses")),
            Math.max(0, JsonArgs.integer(c.get(13), "card left")),
            JsonArgs.int32(c.get(14), "card odue"),
            JsonArgs.integer(c.get(15), "card odid"),
            flags
        };
        return new CardTable.Row(numbers, JsonArgs.text(c.get(17), "card data"));
    }

    private void applyNotes(Connection db, JsonNode entries, int clientUsn) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        Map<Long, NotetypeShapes.Shape> shapes = new HashMap<>();
        Map<Long, UsnAndMod> existing = NoteTable.usnAndMod(db, ids(entries));
        Set<Long> stored = new HashSet<>(existing.keySet());
        try (NoteTable.Writer writer = NoteTable.writer(db)) {
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
                    shape = notetypes
                            .shape(db, mid)
                            .orElseThrow(() -> SyncException.badRequest(
                                    "note " + id + " uses notetype " + mid + ", which does not exist"));
                    shapes.put(mid, shape);
                }
                writer.write(note(n, id, mod, mid, shape), !stored.add(id));
            }
        }
    }

    /** A note row with its fields cleaned and its sort field and checksum computed. */
    private static NoteTable.Row note(JsonNode n, long id, long mod, long mid, NotetypeShapes.Shape shape) {
        String[] fields = NoteText.fields(JsonArgs.text(n.get(6), "note flds"));
        if (fields.length != Math.max(1, shape.fieldCount())) {
            throw SyncException.badRequest("note " + id + " has " + fields.length + " fields but notetype " + mid
                    + " has " + shape.fieldCount());
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = NoteText.cleanField(fields[i]);
        }
        return new NoteTable.Row(
                id,
                JsonArgs.text(n.get(1), "note guid"),
                mid,
                mod,
                usn(n.get(4)),
                JsonArgs.text(n.get(5), "note tags"),
                String.join(String.valueOf(NoteText.FIELD_SEPARATOR), fields),
                NoteText.sortField(fields, shape.sortFieldIndex()),
                NoteText.checksum(fields[0]));
    }

    /**
     * The ids of the chunk's entries, for reading what the server has of them in
     * one query. Entries without a usable id are skipped here; validating them
     * is left to the caller's loop.
     */
    private static List<Long> ids(JsonNode entries) {
        List<Long> ids = new ArrayList<>(entries.size());
        for (JsonNode entry : entries) {
            if (entry.isArray()
                    && entry.size() > 0
                    && entry.get(0).canConvertToLong()
                    && entry.get(0).isIntegralNumber()) {
                ids.add(entry.get(0).longValue());
            }
        }
        return ids;
    }

    /**
     * The conflict rule for cards and notes: the server keeps its copy when it
     * changed since the client's last sync and is at least as new.
     */
    private static boolean serverKeepsOwn(Map<Long, UsnAndMod> existing, long id, long incomingMod, int clientUsn) {
        UsnAndMod server = existing.get(id);
        if (server == null) {
            return false;
        }
        boolean changedOnServer = clientUsn == -1 ? server.usn() == -1 : server.usn() >= clientUsn;
        return changedOnServer && server.mod() >= incomingMod;
    }

    private static int usn(JsonNode node) {
        return JsonArgs.int32(node, "usn");
    }
}
