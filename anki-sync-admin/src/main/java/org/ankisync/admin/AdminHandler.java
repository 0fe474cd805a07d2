package org.ankisync.admin;

import java.time.Clock;
import java.util.Map;
import org.ankisync.core.auth.LoginThrottle;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.http.TrustedProxies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin area behind one call, HTTP-neutral like {@code SyncServer}: an
 * adapter hands it a {@link SyncCall} whose path is below the admin base and
 * copies the {@link SyncReply} back. {@link PageRoutes} serves the HTML pages,
 * {@link ApiRoutes} the JSON endpoints, both over {@link AdminService}; this class
 * sends each request to one of them, turns failures into replies and logs
 * changes. The security rules that apply to all of them:
 * <ul>
 * <li>a session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over HTTPS)
 *     from the admin login, which nothing else accepts (sync host keys are not sessions);</li>
 * <li>on every POST and DELETE: a same-origin check ({@code Origin}, {@code Sec-Fetch-Site})
 *     and the session's CSRF token (form field {@code csrf} or header {@code X-CSRF-Token});
 *     the login form carries a token of its own, bound to a short-lived cookie;</li>
 * <li>headers on every reply: a strict Content-Security-Policy (no script at all, styles only
 *     from the admin itself), no framing, no sniffing, no caching, no referrer to other sites.</li>
 * </ul>
 */
public final class AdminHandler {
    static final String SESSION_COOKIE = "ankisyncd_admin";
    static final String LOGIN_COOKIE = "ankisyncd_admin_login";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminSessions sessions;
    private final TrustedProxies proxies;
    private final PageRoutes pages;
    private final ApiRoutes api;
    private final byte[] stylesheet;

    public AdminHandler(
            AdminSettings settings,
            AdminService service,
            AdminHistory history,
            LoginThrottle throttle,
            ActivityLog activity,
            TrustedProxies proxies,
            Clock clock) {
        this.sessions = new AdminSessions(clock);
        AdminLogin login = new AdminLogin(
                settings.passwordHash()
                        .orElseThrow(() -> new IllegalArgumentException("the admin area needs a password hash")),
                throttle,
                activity);
        SessionCookies cookies = new SessionCookies(settings.secureCookie());
        ColpkgDownload download = new ColpkgDownload(service, history);
        this.pages = new PageRoutes(service, history, sessions, login, cookies, download);
        this.api = new ApiRoutes(service, history, sessions, login, cookies, download);
        this.proxies = proxies;
        this.stylesheet = Replies.resource("admin.css");
    }

    /** Handles one request below the admin base. Never throws. */
    public SyncReply handle(SyncCall peerCall) {
        SyncCall call = proxies.resolve(peerCall);
        AdminRequest request = new AdminRequest(call, sessions);
        boolean json = request.path.startsWith("api/");
        try {
            if (request.path.equals("static/admin.css")) {
                Checks.requireMethod(request, "GET", "HEAD");
                return Replies.reply(
                        200, "text/css; charset=utf-8", stylesheet, Map.of("Cache-Control", "max-age=3600"));
            }
            SyncReply reply = json ? api.api(request) : pages.page(request);
            audit(request, reply.status());
            return reply;
        } catch (AdminException e) {
            if (json) {
                return Replies.json(e.status(), AdminJson.message("error", e.getMessage()));
            }
            String csrf = request.session.map(AdminSessions.Session::csrfToken).orElse("");
            return Replies.html(
                    e.status(),
                    request.session.isPresent() ? Pages.error(e.getMessage(), csrf) : Replies.plain(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("admin {} /{} failed", call.httpMethod(), request.path, e);
            return json
                    ? Replies.json(500, AdminJson.message("error", "internal error"))
                    : Replies.html(500, Replies.plain("internal error"));
        }
    }

    /** One INFO line per change an admin made (or tried): who did what, for the server's log. */
    private static void audit(AdminRequest r, int status) {
        boolean change = r.method.equals("POST") || r.method.equals("DELETE");
        if (!change || r.session.isEmpty() || r.path.equals("login") || r.path.equals("api/login")) {
            return;
        }
        StringBuilder what = new StringBuilder();
        if (r.form != null) {
            for (String field : new String[] {"action", "name", "user", "id"}) {
                r.form.get(field)
                        .ifPresent(v -> what.append(' ')
                                .append(field)
                                .append('=')
                                .append(v.replaceAll("[\\p{Cntrl}\\s]", "_")));
            }
        }
        LOG.info("admin {} /{}{} from {}: {}", r.method, r.path, what, r.address, status);
    }
}
