package org.ankisync.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import org.ankisync.core.activity.SyncActivity;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.LoginThrottle;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.LoginOutcome;
import org.ankisync.core.ops.RequestContext;
import org.ankisync.core.ops.SyncObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /sync/hostKey}: checks a user name and password (throttled) and
 * issues a host key; and the check of a host key on every other request.
 */
final class Login {
    private static final Logger LOG = LoggerFactory.getLogger(Login.class);
    /**
     * One line per failed login, in a fixed format for fail2ban and the like:
     * {@code LOGIN FAILED address=<ip> user="<name>" reason=<reason>}.
     */
    private static final Logger LOGIN_LOG = LoggerFactory.getLogger("ankisyncd.login");

    private final UserStore users;
    private final HostKeys hostKeys;
    private final LoginThrottle throttle;
    private final SyncObserver observer;
    private final SyncActivity activity;

    Login(UserStore users, HostKeys hostKeys, LoginThrottle throttle, SyncObserver observer, SyncActivity activity) {
        this.users = users;
        this.hostKeys = hostKeys;
        this.throttle = throttle;
        this.observer = observer;
        this.activity = activity;
    }

    /**
     * The new host key for the credentials in {@code body}, or empty after a
     * refused login (already logged; the caller answers 403).
     */
    Optional<String> hostKey(JsonNode body, String clientVersion, SyncCall call, RequestContext context) {
        JsonNode u = body.get("u");
        JsonNode p = body.get("p");
        if (u == null || !u.isTextual() || p == null || !p.isTextual()) {
            throw SyncException.badRequest("invalid json: hostKey needs string u and p");
        }
        String username = u.textValue();
        String address = call.remoteAddress();
        context.user(printable(username));
        Optional<Duration> locked = throttle.lockedFor(username, address);
        if (locked.isPresent()) {
            observer.login(LoginOutcome.THROTTLED);
            return failed(
                    address,
                    username,
                    "throttled retry_after_ms=" + locked.get().toMillis());
        }
        if (!UserNames.isValid(username)) {
            throttle.failed(username, address);
            observer.login(LoginOutcome.UNKNOWN_USER);
            return failed(address, username, "invalid_name");
        }
        if (!users.verifyPassword(username, p.textValue())) {
            throttle.failed(username, address);
            boolean known = users.exists(username);
            observer.login(known ? LoginOutcome.WRONG_PASSWORD : LoginOutcome.UNKNOWN_USER);
            return failed(address, username, known ? "wrong_password" : "unknown_user");
        }
        throttle.succeeded(username, address);
        observer.login(LoginOutcome.OK);
        String key = hostKeys.issue(username, new LoginContext(clientVersion, address));
        LOG.info("login of user '{}' from {}", username, address);
        return Optional.of(key);
    }

    /** The reply to a refused login: 403, the only status bad credentials ever get. */
    static SyncReply refusal() {
        return SyncReply.text(HttpStatus.FORBIDDEN, "invalid user/pass in get_host_key");
    }

    /** The user a host key belongs to; 403 if it is unknown or its user is gone. */
    String authenticate(String hostKey, String clientVersion, String address) {
        return hostKeys.resolve(hostKey, new LoginContext(clientVersion, address))
                .filter(UserNames::isValid)
                .filter(users::exists)
                .orElseThrow(() -> SyncException.forbidden("invalid hkey"));
    }

    /** The one log line of a failed login. */
    private Optional<String> failed(String address, String username, String reason) {
        activity.loginFailed(SyncServer.abbreviate(username), address, reason);
        LOGIN_LOG.warn("LOGIN FAILED address={} user=\"{}\" reason={}", address, printable(username), reason);
        return Optional.empty();
    }

    /** A user name made safe for a one-line log entry: no control characters, quotes or backslashes. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        String cut = SyncServer.abbreviate(s);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || Character.isWhitespace(c) && c != ' ') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
