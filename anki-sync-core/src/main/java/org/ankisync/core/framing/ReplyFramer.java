package org.ankisync.core.framing;

import org.ankisync.core.http.SyncReply;

/** Frames successful replies the way the request that asked for them was framed (v11 or legacy). */
public interface ReplyFramer {

    /** A reply whose payload is in memory. */
    SyncReply bytes(byte[] payload);

    /** A streamed reply; {@code size} is the exact number of bytes {@code body} writes. */
    SyncReply stream(long size, SyncReply.Body body);
}
