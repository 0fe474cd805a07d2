package org.ankisync.core.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response as the protocol produces it. The body writes itself to the
 * adapter's output stream, so large downloads stream without being buffered.
 */
public final class SyncReply {

    /** Writes a response body; called at most once. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Body EMPTY = out -> {};

    private final int status;
    private final Map<String, String> headers;
    private final Body body;
    private final Runnable onComplete;

    private SyncReply(int status, Map<String, String> headers, Body body) {
        this(status, headers, body, () -> {});
    }

    private SyncReply(int status, Map<String, String> headers, Body body, Runnable onComplete) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
        this.onComplete = onComplete;
    }

    /**
     * The same reply, running {@code action} once it has been written (or
     * abandoned). A streamed download uses this to keep its user's lock until
     * the last byte is out.
     */
    public SyncReply whenComplete(Runnable action) {
        Runnable previous = onComplete;
        return new SyncReply(status, headers, body, () -> {
            try {
                previous.run();
            } finally {
                action.run();
            }
        });
    }

    /**
     * Adapters must call this exactly once after writing the body, also when
     * writing failed: it releases what the reply holds.
     */
    public void complete() {
        onComplete.run();
    }

    public static SyncReply of(int status, Map<String, String> headers, Body body) {
        return new SyncReply(status, new LinkedHashMap<>(headers), body);
    }

    /** An error reply whose body is a short plain-text message. */
    public static SyncReply text(int status, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("Content-Length", Integer.toString(bytes.length));
        return new SyncReply(status, headers, out -> out.write(bytes));
    }

    /** An empty 200 reply (health check). */
    public static SyncReply emptyOk() {
        return new SyncReply(200, new LinkedHashMap<>(Map.of("Content-Length", "0")), EMPTY);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Body body() {
        return body;
    }

    @Override
    public String toString() {
        return "SyncReply[" + status + " " + headers + "]";
    }
}
