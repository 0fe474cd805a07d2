package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.http.SyncReply;

/** What a {@link SyncStep} is called with: the user, the request, how to reply, and the running session. */
final class StepCall {
    final UserCollection user;
    final SyncRequest request;
    final String remoteAddress;
    private final ReplyFramer framer;
    private final ObjectMapper json;
    private final long maxJsonBytes;
    private JsonNode body;
    private SyncSession session;

    StepCall(
            UserCollection user,
            SyncRequest request,
            ReplyFramer framer,
            String remoteAddress,
            ObjectMapper json,
            long maxJsonBytes) {
        this.user = user;
        this.request = request;
        this.framer = framer;
        this.remoteAddress = remoteAddress;
        this.json = json;
        this.maxJsonBytes = maxJsonBytes;
    }

    /**
     * The request's JSON object, read once; an empty body counts as an empty
     * object. Methods without arguments still read it, so a broken body is reported.
     */
    JsonNode body() throws IOException {
        if (body == null) {
            body = JsonArgs.readObject(request, json, maxJsonBytes);
        }
        return body;
    }

    /** The running normal sync; set by {@link UserCollection#inSession} for the steps that need it. */
    SyncSession session() {
        if (session == null) {
            throw new IllegalStateException("not a session step");
        }
        return session;
    }

    void session(SyncSession running) {
        this.session = running;
    }

    /** A reply with {@code value} as JSON ({@code null} for the steps that return nothing). */
    SyncReply json(Object value) throws IOException {
        return framer.bytes(json.writeValueAsBytes(value));
    }

    /** A reply whose payload is the given bytes. */
    SyncReply bytes(byte[] payload) {
        return framer.bytes(payload);
    }

    /** A streamed reply. */
    SyncReply stream(long size, SyncReply.Body writer) {
        return framer.stream(size, writer);
    }
}
