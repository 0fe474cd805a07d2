package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;
import org.ankisync.core.storage.NewCollectionFactory;
import org.ankisync.core.storage.schema18.ColTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code start}: replaces any running session with a new one and returns the server's graves. */
final class Start implements SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(Start.class);

    private final Clock clock;
    private final NewCollectionFactory newCollections;
    private final SyncObserver observer;

    Start(Clock clock, NewCollectionFactory newCollections, SyncObserver observer) {
        this.clock = clock;
        this.newCollections = newCollections;
        this.observer = observer;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        UserCollection user = call.user;
        user.takePendingMeta();
        JsonNode body = call.body();
        String sessionKey = call.request.sessionKey();
        if (sessionKey.isEmpty()) {
            throw SyncException.badRequest("missing skey");
        }
        int clientUsn = JsonArgs.int32(JsonArgs.required(body, "minUsn"), "minUsn");
        boolean clientIsNewer = JsonArgs.bool(body.get("lnewer"), "lnewer");
        user.abortSession();
        user.ensureExists(newCollections);
        Connection db = null;
        ObjectNode graves;
        try {
            db = user.open();
            db.setAutoCommit(false);
            int serverUsn = ColTable.usn(db);
            refuseIfStale(user, sessionKey, serverUsn);
            SyncSession session = new SyncSession(sessionKey, serverUsn, clientUsn, clientIsNewer, db, clock.millis());
            graves = Graves.since(db, clientUsn);
            Graves.apply(db, body.get("graves"), serverUsn);
            user.session(session);
            logStarted(user.username(), sessionKey, serverUsn, clientUsn, clientIsNewer);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(db);
            if (!(e instanceof SyncException se && se.status() == HttpStatus.CONFLICT)) {
                observer.syncCompleted(SyncOutcome.FAILED);
            }
            if (e instanceof SyncException se) {
                throw se;
            }
            throw SyncException.badRequest("op failed in sync_state: " + e.getMessage(), e);
        }
        return call.json(graves);
    }

    private static void logStarted(String user, String key, int serverUsn, int clientUsn, boolean clientIsNewer) {
        LOG.debug(
                "sync of {} started: key {}, server usn {}, client usn {}, client newer {}",
                user,
                key,
                serverUsn,
                clientUsn,
                clientIsNewer);
    }

    /**
     * The client stamps what it sends with the usn meta reported and sets its own usn to that
     * plus one at the end. If another device synced in between, those stamps would be older
     * than this session's usn and devices would miss each other's changes for good, so this
     * client must start over (the official server has this race).
     */
    private void refuseIfStale(UserCollection user, String sessionKey, int serverUsn) {
        Optional<Integer> seenAtMeta = user.metaUsn(sessionKey);
        if (seenAtMeta.isPresent() && seenAtMeta.get() != serverUsn) {
            observer.syncCompleted(SyncOutcome.REFUSED_STALE);
            throw SyncException.conflict("the collection changed since this client's meta (usn " + seenAtMeta.get()
                    + ", now " + serverUsn + "): another device synced; try again");
        }
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // closing below discards the transaction anyway
            }
            try {
                db.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }
}
