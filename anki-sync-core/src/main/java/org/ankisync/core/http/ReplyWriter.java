package org.ankisync.core.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Copies a {@link SyncReply} out through an adapter's {@link HttpResponseSink}.
 * Every adapter uses this one method, so status, headers, {@code HEAD}
 * handling, streaming and the release of what a reply holds cannot differ
 * between them.
 */
public final class ReplyWriter {
    private ReplyWriter() {}

    /**
     * Writes {@code reply} (no body for {@code HEAD}) and then, always, calls
     * {@link SyncReply#complete()}: also when the client went away mid-stream,
     * so a streamed download never keeps its user's lock.
     *
     * @param httpMethod the request's method, to leave out the body of a {@code HEAD}
     * @throws IOException when writing to the client failed (the reply is completed regardless)
     */
    public static void write(SyncReply reply, String httpMethod, HttpResponseSink response) throws IOException {
        try {
            response.status(reply.status());
            for (Map.Entry<String, String> header : reply.headers().entrySet()) {
                response.header(header.getKey(), header.getValue());
            }
            if (!"HEAD".equals(httpMethod)) {
                OutputStream out = response.body();
                reply.body().writeTo(out);
                out.flush();
            }
        } finally {
            reply.complete();
        }
    }
}
