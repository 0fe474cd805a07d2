package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.storage.schema18.CardTable;
import org.ankisync.core.storage.schema18.JsonBytes;
import org.ankisync.core.storage.schema18.NoteTable;
import org.ankisync.core.storage.schema18.RevlogTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chunk}: the server's revlog entries, cards and notes changed since
 * the client's last sync, a budget's worth per call, in the fixed-order
 * arrays of collection-sync.md Appendix A.
 */
final class Chunk implements SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(Chunk.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        SyncSession session = call.session();
        if (session.outgoing == null) {
            session.outgoing = pending(session.db, session.clientUsn);
        }
        ObjectNode outgoing = next(session.db, session.outgoing);
        LOG.debug(
                "chunk for {} ({}): {} revlog, {} cards, {} notes",
                call.user.username(),
                session.sessionKey,
                outgoing.path("revlog").size(),
                outgoing.path("cards").size(),
                outgoing.path("notes").size());
        return call.json(outgoing);
    }

    /** The ids the server will send: everything changed since the client's last sync. */
    static ChunkQueue pending(Connection db, int clientUsn) throws SQLException {
        return new ChunkQueue(
                RevlogTable.idsChangedSince(db, clientUsn),
                CardTable.idsChangedSince(db, clientUsn),
                NoteTable.idsChangedSince(db, clientUsn));
    }

    /**
     * The next {@code chunk} reply. Each table's rows are read with one query
     * per chunk ({@code id in (...)}); rows go out in the queue's order.
     */
    static ObjectNode next(Connection db, ChunkQueue queue) throws SQLException {
        ChunkQueue.Selection selection = queue.next();
        ObjectNode chunk = NODES.objectNode();
        chunk.put("done", selection.done);
        // Revlog and card rows come as JSON written by SQLite and go out as they are.
        if (!selection.revlog.isEmpty()) {
            Map<Long, JsonBytes> rows = RevlogTable.jsonById(db, selection.revlog);
            ArrayNode target = chunk.putArray("revlog");
            for (JsonBytes row : inOrder(selection.revlog, rows)) {
                target.addRawValue(new RawValue(row));
            }
        }
        if (!selection.cards.isEmpty()) {
            Map<Long, JsonBytes> rows = CardTable.jsonById(db, selection.cards);
            ArrayNode target = chunk.putArray("cards");
            for (JsonBytes row : inOrder(selection.cards, rows)) {
                target.addRawValue(new RawValue(row));
            }
        }
        if (!selection.notes.isEmpty()) {
            Map<Long, NoteTable.Row> rows = NoteTable.rowsById(db, selection.notes);
            ArrayNode target = chunk.putArray("notes");
            for (NoteTable.Row n : inOrder(selection.notes, rows)) {
                target.add(NODES.arrayNode()
                        .add(n.id())
                        .add(n.guid())
                        .add(n.mid())
                        .add(n.mod())
                        .add(n.usn())
                        .add(n.tags())
                        .add(n.flds())
                        // sfld, csum, flags and data are never sent.
                        .add("")
                        .add("")
                        .add(0)
                        .add(""));
            }
        }
        return chunk;
    }

    /** The rows of {@code ids} that exist, in the order of {@code ids}. */
    private static <T> List<T> inOrder(List<Long> ids, Map<Long, T> rows) {
        List<T> ordered = new java.util.ArrayList<>(ids.size());
        for (long id : ids) {
            T row = rows.get(id);
            if (row != null) {
                ordered.add(row);
            }
        }
        return ordered;
    }
}
