package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.storage.schema18.CardTable;
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
        ChunkQueue.Selection selection = session.outgoing.next();
        LOG.debug(
                "chunk for {} ({}): {} revlog, {} cards, {} notes",
                call.user.username(),
                session.sessionKey,
                selection.revlog.size(),
                selection.cards.size(),
                selection.notes.size());
        return call.json(reply(session.db, selection));
    }

    /** The ids the server will send: everything changed since the client's last sync. */
    static ChunkQueue pending(Connection db, int clientUsn) throws SQLException {
        return new ChunkQueue(
                RevlogTable.idsChangedSince(db, clientUsn),
                CardTable.idsChangedSince(db, clientUsn),
                NoteTable.idsChangedSince(db, clientUsn));
    }

    /**
     * The {@code chunk} reply with the rows of {@code selection} (those that
     * exist), in its order: one query per table.
     */
    static ObjectNode reply(Connection db, ChunkQueue.Selection selection) throws SQLException {
        ObjectNode chunk = NODES.objectNode();
        chunk.put("done", selection.done);
        // Each table's rows come as one JSON array, written by SQLite, and go out as they are.
        if (!selection.revlog.isEmpty()) {
            chunk.putRawValue("revlog", new RawValue(RevlogTable.jsonArray(db, selection.revlog)));
        }
        if (!selection.cards.isEmpty()) {
            chunk.putRawValue("cards", new RawValue(CardTable.jsonArray(db, selection.cards)));
        }
        if (!selection.notes.isEmpty()) {
            chunk.putRawValue("notes", new RawValue(NoteTable.jsonArray(db, selection.notes)));
        }
        return chunk;
    }
}
