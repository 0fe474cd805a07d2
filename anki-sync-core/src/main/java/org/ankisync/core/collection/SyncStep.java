package org.ankisync.core.collection;

import java.io.IOException;
import java.sql.SQLException;
import org.ankisync.core.http.SyncReply;

/**
 * One method of the collection-sync protocol (one file per step, as rslib's
 * {@code sync/collection/}). Built once by {@link CollectionSyncService};
 * each call runs under the user's lock (except where the step says
 * otherwise), and a step that {@link org.ankisync.core.http.SyncMethod#needsSession}
 * runs inside {@link UserCollection#inSession}.
 */
interface SyncStep {

    /** Answers one request; failures rise to the caller (the session helper, then the server's error boundary). */
    SyncReply handle(StepCall call) throws IOException, SQLException;
}
