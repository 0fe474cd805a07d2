package org.ankisync.core.collection;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;
import org.ankisync.core.storage.schema18.ColTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code finish}: {@code ls = mod = now}, {@code usn + 1}, commit; returns now. */
final class Finish implements SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(Finish.class);

    private final Clock clock;
    private final SyncObserver observer;

    Finish(Clock clock, SyncObserver observer) {
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        UserCollection user = call.user;
        SyncSession session = call.session();
        long now = clock.millis();
        ColTable.finishSync(session.db, now);
        session.db.commit();
        user.session(null);
        session.rollbackAndRelease(user);
        observer.syncCompleted(SyncOutcome.NORMAL);
        LOG.debug(
                "sync of {} finished: key {}, usn now {}", user.username(), session.sessionKey, session.serverUsn + 1);
        return call.json(now);
    }
}
