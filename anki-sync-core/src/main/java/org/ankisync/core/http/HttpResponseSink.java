package org.ankisync.core.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The response side of an adapter's HTTP server, as {@link ReplyWriter} needs
 * it: a status, headers, then a body stream. Each adapter implements these
 * three calls over its own response object and nothing more.
 */
public interface HttpResponseSink {

    /** Sets the status code; called first, once. */
    void status(int status);

    /** Sets one response header; called after {@link #status}, before {@link #body}. */
    void header(String name, String value);

    /**
     * The stream the body is written to; called at most once, after the headers.
     * {@link ReplyWriter} flushes it but does not close it: the adapter finishes
     * its response the way its server expects.
     */
    OutputStream body() throws IOException;
}
