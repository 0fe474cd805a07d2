package org.ankisync.core.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Slows down password guessing. The server asks {@link #lockedFor} before it
 * checks a password, and answers 403 at once (without checking) while a user
 * name or client address is locked; it reports every checked attempt with
 * {@link #failed} or {@link #succeeded}.
 */
public interface LoginThrottle {

    /** How long logins for this user name or from this address stay refused; empty if they may proceed. */
    Optional<Duration> lockedFor(String username, String address);

    /** A login with a wrong password or an unknown user name. */
    void failed(String username, String address);

    /** A login that succeeded: forgets earlier failures of this user name and address. */
    void succeeded(String username, String address);

    /** No throttling. */
    LoginThrottle NONE = new LoginThrottle() {
        @Override
        public Optional<Duration> lockedFor(String username, String address) {
            return Optional.empty();
        }

        @Override
        public void failed(String username, String address) {}

        @Override
        public void succeeded(String username, String address) {}
    };
}
