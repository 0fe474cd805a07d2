package org.ankisync.admin;

import java.time.Duration;
import java.util.Optional;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.core.auth.LoginThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the admin password, throttled like the clients' logins (per address,
 * and for the one admin name) and logged in the same fail2ban-friendly line:
 * {@code ADMIN LOGIN FAILED address=<ip> reason=<reason>}, which the README's
 * filter {@code LOGIN FAILED address=<HOST> } matches too.
 */
final class AdminLogin {
    /** The throttle's name key: there is one admin. */
    static final String NAME = "(admin)";

    private static final Logger LOG = LoggerFactory.getLogger("ankisyncd.admin");

    private final String passwordHash;
    private final LoginThrottle throttle;
    private final ActivityLog activity;

    AdminLogin(String passwordHash, LoginThrottle throttle, ActivityLog activity) {
        this.passwordHash = passwordHash;
        this.throttle = throttle;
        this.activity = activity;
    }

    /** The outcome of one attempt. */
    enum Result {
        OK,
        WRONG,
        THROTTLED
    }

    /** An attempt and, when throttled, how long to wait. */
    record Attempt(Result result, Optional<Duration> retryAfter) {}

    Attempt attempt(String address, String password) {
        Optional<Duration> locked = throttle.lockedFor(NAME, address);
        if (locked.isPresent()) {
            failed(address, "throttled retry_after_ms=" + locked.get().toMillis());
            return new Attempt(Result.THROTTLED, locked);
        }
        if (password == null || password.isEmpty() || !Pbkdf2.verify(passwordHash, password)) {
            throttle.failed(NAME, address);
            failed(address, "wrong_password");
            return new Attempt(Result.WRONG, Optional.empty());
        }
        throttle.succeeded(NAME, address);
        LOG.info("admin login from {}", address);
        return new Attempt(Result.OK, Optional.empty());
    }

    private void failed(String address, String reason) {
        LOG.warn("ADMIN LOGIN FAILED address={} reason={}", address, reason);
        activity.adminLoginFailed(address, reason);
    }
}
