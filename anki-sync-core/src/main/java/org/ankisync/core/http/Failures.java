package org.ankisync.core.http;

import org.ankisync.core.framing.ClientBody.ClientBodyException;
import org.ankisync.core.framing.LimitedInputStream.PayloadTooLargeException;

/**
 * The one place a failure becomes a status (as rslib's {@code sync/error.rs}):
 * services let exceptions rise, and the server maps them here. A
 * {@link SyncException} is a protocol decision and keeps its status; a body
 * the client broke is 400; a body over the limit is 413; anything else (a
 * failing disk or database, a bug) is 500.
 */
public final class Failures {
    /** The reply text of a 500: internals stay in the log. */
    public static final String INTERNAL = "internal server error";

    private Failures() {}

    /** The status and reply text for {@code failure}. */
    public static SyncException classify(Exception failure) {
        if (failure instanceof SyncException e) {
            return e;
        }
        if (failure instanceof ClientBodyException e) {
            return SyncException.badRequest("decoding request body: " + e.getMessage(), e);
        }
        if (failure instanceof PayloadTooLargeException e) {
            return new SyncException(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage(), e);
        }
        return SyncException.internal(INTERNAL, failure);
    }

    /** Whether the failure is ours rather than the client's (logged with its stack trace). */
    public static boolean isInternal(SyncException classified) {
        return classified.status() >= 500 && classified.status() != HttpStatus.CLIENT_TOO_OLD;
    }
}
