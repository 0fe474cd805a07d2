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
}
