package org.ankisync.core.collection;

import java.io.IOException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;

/**
 * {@code abort}. The official server aborts whatever session is running,
 * whatever the key; then a device that lost a race (its session was
 * replaced by another device's {@code start}) aborts the winner's session
 * too, and both fail. Here an abort with a key only ends its own session;
 * one without a key (old clients) still ends any.
 */
final class Abort implements SyncStep {
    private final SyncObserver observer;

    Abort(SyncObserver observer) {
        this.observer = observer;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException {
        call.body();
        UserCollection user = call.user;
        String sessionKey = call.request.sessionKey();
        SyncSession session = user.session();
        if (session != null && (sessionKey.isEmpty() || session.sessionKey.equals(sessionKey))) {
            user.abortSession();
            observer.syncCompleted(SyncOutcome.ABORTED);
        }
        return call.json(null);
    }
}
