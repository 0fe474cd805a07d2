package org.ankisync.core.media;

import java.io.IOException;
import java.sql.SQLException;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.http.MediaMethod;
import org.ankisync.core.http.SyncReply;

/**
 * What the core routes {@code /msync/*} to. The media module implements it;
 * the core only frames, authenticates and forwards.
 */
public interface MediaSync {

    /** The user's current media usn, reported by collection {@code meta} as {@code media_usn}. */
    int currentUsn(String username) throws IOException, SQLException;

    /**
     * Handles one media method ({@code begin}, {@code mediaChanges}, ...) for an
     * authenticated user. The reply is built with {@code replies}, which applies
     * the request's framing. Failures rise to the server, which chooses the
     * status ({@link org.ankisync.core.http.Failures}).
     */
    SyncReply handle(MediaMethod method, String username, SyncRequest request, ReplyFramer replies)
            throws IOException, SQLException;

    /** No media support: usn 0, and every media call is refused. */
    MediaSync NONE = new MediaSync() {
        @Override
        public int currentUsn(String username) {
            return 0;
        }

        @Override
        public SyncReply handle(MediaMethod method, String username, SyncRequest request, ReplyFramer replies) {
            return SyncReply.text(404, "media sync is not enabled on this server");
        }
    };
}
