package org.ankisync.core.http;

/**
 * A failure that ends a request with a given HTTP status. The message is sent
 * to the client as plain text and written to the log; clients only look at the
 * status code.
 */
public class SyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public SyncException(int status, String message) {
        super(message);
        this.status = status;
    }

    public SyncException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static SyncException badRequest(String message) {
        return new SyncException(HttpStatus.BAD_REQUEST, message);
    }

    public static SyncException badRequest(String message, Throwable cause) {
        return new SyncException(HttpStatus.BAD_REQUEST, message, cause);
    }

    public static SyncException forbidden(String message) {
        return new SyncException(HttpStatus.FORBIDDEN, message);
    }

    public static SyncException conflict(String message) {
        return new SyncException(HttpStatus.CONFLICT, message);
    }

    public static SyncException internal(String message, Throwable cause) {
        return new SyncException(HttpStatus.INTERNAL_ERROR, message, cause);
    }
}
