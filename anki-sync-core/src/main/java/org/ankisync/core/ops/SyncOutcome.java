package org.ankisync.core.ops;

/**
 * How a collection sync ended, as the server can tell: the client decides
 * from {@code meta}'s reply whether it syncs at all, so "no changes" is a
 * {@code meta} that the same client did not follow with {@code start},
 * {@code upload} or {@code download}; it is counted when that client's next
 * request for the user arrives (the media sync that follows every collection
 * sync, or its next {@code meta}).
 */
public enum SyncOutcome {
    NO_CHANGES("no_changes"),
    /** A normal sync that reached {@code finish}. */
    NORMAL("normal"),
    FULL_UPLOAD("full_upload"),
    /** A full download whose last byte was written. */
    FULL_DOWNLOAD("full_download"),
    /** A running normal sync ended by the client's {@code abort}. */
    ABORTED("aborted"),
    /** A sync step that failed with a server-side or protocol error (the session is rolled back). */
    FAILED("failed"),
    /** A {@code start} refused because another device synced since this client's {@code meta} (409). */
    REFUSED_STALE("refused_stale");

    private final String label;

    SyncOutcome(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
