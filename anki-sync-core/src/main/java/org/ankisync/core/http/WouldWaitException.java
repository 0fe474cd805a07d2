package org.ankisync.core.http;

/**
 * Thrown for a call that may not wait ({@link SyncCall#mayWait()} false) when
 * answering it would mean waiting for a lock another request (or another
 * process) holds. Nothing was changed, logged or counted for the call yet: the
 * adapter answers it again, from a thread that may wait.
 */
public final class WouldWaitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WouldWaitException(String message) {
        // No stack trace: it is an expected turn of events, not an error.
        super(message, null, false, false);
    }
}
