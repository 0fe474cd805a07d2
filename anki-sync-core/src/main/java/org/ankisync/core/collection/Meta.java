package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.media.MediaSync;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.storage.NewCollectionFactory;
import org.ankisync.core.storage.schema18.CardTable;
import org.ankisync.core.storage.schema18.ColTable;
import org.ankisync.core.storage.schema18.ConfigTable;

/** {@code meta}: aborts any running session, creates a missing collection, reports the state. */
final class Meta implements SyncStep {
    static final String V2_SCHEDULER_REFUSAL = "Your client does not support the v2 scheduler";
    static final String TIMEZONE_REFUSAL = "Your client does not support the new timezone handling.";

    private final Clock clock;
    private final MediaSync media;
    private final long maxUncompressedBytes;
    private final NewCollectionFactory newCollections;
    private final AutomaticSnapshots snapshots;
    private final SyncObserver observer;

    Meta(
            Clock clock,
            MediaSync media,
            long maxUncompressedBytes,
            NewCollectionFactory newCollections,
            AutomaticSnapshots snapshots,
            SyncObserver observer) {
        this.clock = clock;
        this.media = media;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.newCollections = newCollections;
        this.snapshots = snapshots;
        this.observer = observer;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        UserCollection user = call.user;
        String sessionKey = call.request.sessionKey();
        ObjectNode meta = state(user, call.body());
        user.rememberMetaUsn(sessionKey, meta.get("usn").asInt());
        user.countPendingMeta(observer);
        user.pendingMeta(sessionKey);
        SyncReply reply = call.json(meta);
        snapshots.afterMeta(user, call.request.clientVersion(), call.remoteAddress);
        return reply;
    }

    private ObjectNode state(UserCollection user, JsonNode request) throws IOException, SQLException {
        user.abortSession();
        JsonNode v = request.get("v");
        JsonNode cv = request.get("cv");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || cv == null || !cv.isTextual()) {
            throw SyncException.badRequest("invalid json: meta needs integer v and string cv");
        }
        int version = v.intValue();
        user.ensureExists(newCollections);
        if (version < 8 || version > 11) {
            throw new SyncException(HttpStatus.CLIENT_TOO_OLD, "unsupported version: " + version);
        }
        Connection db = user.open();
        try {
            ColTable.State col =
                    ColTable.state(db).orElseThrow(() -> SyncException.internal("collection has no col row", null));
            long scm = col.scm();
            if (Files.size(user.file()) > maxUncompressedBytes) {
                // Too large to download again: force a full sync, as the official server does.
                scm = clock.millis();
            }
            String refusal = refusal(db, version);
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            reply.put("mod", col.mod());
            reply.put("scm", scm);
            reply.put("usn", col.usn());
            reply.put("ts", clock.millis() / 1000);
            reply.put("msg", refusal == null ? "" : refusal);
            reply.put("cont", refusal == null);
            reply.put("hostNum", 0);
            reply.put("empty", CardTable.isEmpty(db));
            reply.put("media_usn", media.currentUsn(user.username()));
            return reply;
        } finally {
            user.giveBack(db);
        }
    }

    /** Why a client of this version cannot sync this collection; null if it can. */
    private static String refusal(Connection db, int version) throws SQLException {
        if (version < 9 && "2".equals(ConfigTable.text(db, "schedVer"))) {
            return V2_SCHEDULER_REFUSAL;
        }
        if (version < 10 && isInteger(ConfigTable.text(db, "creationOffset"))) {
            return TIMEZONE_REFUSAL;
        }
        return null;
    }

    private static boolean isInteger(String jsonText) {
        return jsonText != null && jsonText.trim().matches("-?\\d+");
    }
}
