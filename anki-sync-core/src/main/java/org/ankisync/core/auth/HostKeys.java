package org.ankisync.core.auth;

import java.util.Optional;

/**
 * Host keys: the token a client receives at login and sends on every later
 * request. A key that {@link #resolve} does not know earns the client a 403,
 * after which it asks its user to log in again.
 */
public interface HostKeys {

    /** Issues a key for a user who has just proved their password. */
    String issue(String username, LoginContext context);

    /** The user a key belongs to, if the key is valid. */
    Optional<String> resolve(String hostKey);

    /**
     * The user a key belongs to, for a request from the given client; stores
     * that keep per-device records note the use. Defaults to {@link #resolve(String)}.
     */
    default Optional<String> resolve(String hostKey, LoginContext context) {
        return resolve(hostKey);
    }
}
