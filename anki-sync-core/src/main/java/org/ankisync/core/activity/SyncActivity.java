package org.ankisync.core.activity;

/**
 * What happens on the sync routes, told to whoever watches: the admin pages
 * (last sync per user, failures of the day) and metrics. The server calls it
 * on request threads, so implementations must be quick, thread-safe and must
 * not throw; they keep whatever they keep bounded.
 */
public interface SyncActivity {

    /**
     * A device of {@code user} started a sync: its {@code sync/meta} succeeded.
     *
     * @param clientVersion the client's version string, as it sent it (may be null)
     */
    default void syncStarted(String user, String clientVersion, String address) {}

    /** A sync request failed with a 4xx or 5xx status (bad credentials included). */
    default void requestFailed(String address, String path, int status, String message) {}

    /** A login ({@code sync/hostKey}) was refused; {@code reason} as in the login log line. */
    default void loginFailed(String user, String address, String reason) {}

    /** Watches nothing. */
    SyncActivity NONE = new SyncActivity() {};
}
