package org.ankisync.core.ops;

/**
 * How a collection sync ended, as the server can tell: the client decides
 * from {@code meta}'s reply whether it syncs at all, so "no changes" is a
 * {@code meta} not followed by {@code start}, {@code upload} or
 * {@code download}; it is counted when the user's next request that is not
 * such a step arrives (the media sync that follows every collection sync, or
 * the next {@code meta}). With two devices of one user syncing at the same
 * moment, one sync may be counted twice.
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
