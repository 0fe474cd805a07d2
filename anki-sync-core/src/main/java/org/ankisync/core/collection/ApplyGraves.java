package org.ankisync.core.collection;

import java.io.IOException;
import java.sql.SQLException;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.http.SyncReply;

/** {@code applyGraves}: the client's deletions, applied in the session. */
final class ApplyGraves implements SyncStep {

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        SyncSession session = call.session();
        Graves.apply(session.db, JsonArgs.required(call.body(), "chunk"), session.serverUsn);
        return call.json(null);
    }
}
