package org.ankisync.core.ops;

/**
 * Hears what the server does, for metrics: each method is called once per
 * event, on the request's thread, and must return quickly without throwing.
 * The core knows no metrics library; the launcher and the WAR plug a
 * Micrometer implementation in ({@code SyncServer.Builder.observer}).
 */
public interface SyncObserver {
    /** Hears nothing. */
    SyncObserver NONE = new SyncObserver() {};

    /** A request has been answered (or the client went away while it was answered). */
    default void requestCompleted(CompletedRequest request) {}

    /** A {@code hostKey} login was decided. */
    default void login(LoginOutcome outcome) {}

    /** A collection sync ended (see {@link SyncOutcome} for when each counts). */
    default void syncCompleted(SyncOutcome outcome) {}

    /** A request waited this long for its user's lock (also when it did not wait at all: 0). */
    default void lockWaited(long nanos) {}

    /** Media files moved in one batch: uploaded to the server ({@code upload}) or downloaded from it. */
    default void mediaMoved(boolean upload, int files, long bytes) {}
}
