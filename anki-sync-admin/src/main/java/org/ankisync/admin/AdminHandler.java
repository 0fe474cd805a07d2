package org.ankisync.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.auth.LoginThrottle;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.http.TrustedProxies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin area behind one call, HTTP-neutral like {@code SyncServer}: an
 * adapter hands it a {@link SyncCall} whose path is below the admin base and
 * copies the {@link SyncReply} back. Pages are in {@link Pages}, JSON in
 * {@link AdminJson}, every action in {@link AdminService}; this class does
 * routing and the security checks that apply to all of them:
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

    private final AdminService service;
    private final AdminHistory history;
    private final AdminSessions sessions;
    private final AdminLogin login;
    private final TrustedProxies proxies;
    private final String secureCookie;
    private final byte[] stylesheet;

    public AdminHandler(AdminSettings settings, AdminService service, AdminHistory history, LoginThrottle throttle,
                        ActivityLog activity, TrustedProxies proxies, Clock clock) {
        this.service = service;
        this.history = history;
        this.sessions = new AdminSessions(clock);
        this.login = new AdminLogin(settings.passwordHash().orElseThrow(
                () -> new IllegalArgumentException("the admin area needs a password hash")), throttle, activity);
        this.proxies = proxies;
        this.secureCookie = settings.secureCookie();
        this.stylesheet = resource("admin.css");
    }

    /** Handles one request below the admin base. Never throws. */
    public SyncReply handle(SyncCall peerCall) {
        SyncCall call = proxies.resolve(peerCall);
        Request request = new Request(call);
        try {
            if (request.path.equals("static/admin.css")) {
                requireMethod(request, "GET", "HEAD");
                return reply(200, "text/css; charset=utf-8", stylesheet, Map.of("Cache-Control", "max-age=3600"));
            }
            SyncReply reply = request.path.startsWith("api/") ? api(request) : page(request);
            audit(request, reply.status());
            return reply;
        } catch (AdminException e) {
            if (request.path.startsWith("api/")) {
                return json(e.status(), AdminJson.message("error", e.getMessage()));
            }
            String csrf = request.session.map(AdminSessions.Session::csrfToken).orElse("");
            return html(e.status(), request.session.isPresent() ? Pages.error(e.getMessage(), csrf)
                    : plain(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("admin {} /{} failed", call.httpMethod(), request.path, e);
            return request.path.startsWith("api/") ? json(500, AdminJson.message("error", "internal error"))
                    : html(500, plain("internal error"));
        }
    }

    // ---- HTML pages -------------------------------------------------------------------------

    private SyncReply page(Request r) {
        if (r.path.equals("login")) {
            return r.method.equals("POST") ? loginPost(r) : loginPage(r, 200, null);
        }
        if (r.session.isEmpty()) {
            if (r.method.equals("GET") || r.method.equals("HEAD")) {
                return redirect("login");
            }
            throw new AdminException(403, "not logged in");
        }
        AdminSessions.Session session = r.session.get();
        String csrf = session.csrfToken();
        UrlForm form = null;
        if (r.method.equals("POST")) {
            requireSameOrigin(r);
            form = r.form();
            if (!session.csrfMatches(form.get("csrf").orElse(null))) {
                throw new AdminException(403, "the form's CSRF token is missing or wrong: reload the page");
            }
        } else {
            requireMethod(r, "GET", "HEAD");
        }
        switch (r.path) {
            case "" -> {
                return html(200, Pages.overviewWithUsers(service.overview(), service.users(), csrf));
            }
            case "users" -> {
                return form == null ? usersPage(200, csrf, r.query("ok").map(Messages::of).orElse(null), null)
                        : usersPost(form, csrf);
            }
            case "devices" -> {
                return form == null ? devicesPage(200, r.query("user"), csrf,
                        r.query("ok").map(Messages::of).orElse(null), null) : devicesPost(form, csrf);
            }
            case "log" -> {
                requireNoForm(form);
                return html(200, Pages.log(service.failures(), csrf));
            }
            case "history" -> {
                return form == null ? historyPage(200, r.query("user"), csrf,
                        r.query("ok").map(Messages::of).orElse(null), null) : historyPost(r, form, csrf);
            }
            case "download" -> {
                requireNoForm(form);
                return colpkg(r.query("user").orElseThrow(() -> AdminException.badRequest("user missing")),
                        r.query("id").orElseThrow(() -> AdminException.badRequest("id missing")));
            }
            case "logout" -> {
                if (form == null) {
                    throw new AdminException(405, "log out with POST");
                }
                sessions.end(session);
                return redirectWith("login", cookie(r, SESSION_COOKIE, "", 0));
            }
            default -> throw AdminException.notFound("no admin page /" + r.path);
        }
    }

    private SyncReply loginPage(Request r, int status, String error) {
        // Keep a token the browser already has: a second tab, or the browser's own favicon request
        // (redirected here), must not invalidate the form that is open.
        String token = r.cookie(LOGIN_COOKIE).filter(t -> t.matches("[0-9a-f]{64}"))
                .orElseGet(AdminSessions::random);
        return html(status, Pages.login(token, error),
                Map.of("Set-Cookie", cookie(r, LOGIN_COOKIE, token, 600)));
    }

    private SyncReply loginPost(Request r) {
        requireSameOrigin(r);
        UrlForm form = r.form();
        Optional<String> bound = r.cookie(LOGIN_COOKIE);
        String token = form.get("csrf").orElse("");
        if (bound.isEmpty() || token.isEmpty() || !AdminSessions.constantTimeEquals(bound.get(), token)) {
            throw new AdminException(403, "the login form's token is missing or wrong: reload the login page");
        }
        AdminLogin.Attempt attempt = login.attempt(r.address, form.get("password").orElse(""));
        switch (attempt.result()) {
            case OK -> {
                AdminSessions.Session session = sessions.create();
                return redirectWith("./", cookie(r, SESSION_COOKIE, session.id(), -1));
            }
            case THROTTLED -> {
                SyncReply page = loginPage(r, 429, "Too many wrong passwords: try again in "
                        + seconds(attempt.retryAfter().orElse(Duration.ZERO)) + " seconds.");
                return withHeader(page, "Retry-After", seconds(attempt.retryAfter().orElse(Duration.ZERO)));
            }
            default -> {
                return loginPage(r, 403, "Wrong password.");
            }
        }
    }

    private SyncReply usersPage(int status, String csrf, String message, String error) {
        return html(status, Pages.users(service.users(), service.writable(), csrf, message, error));
    }

    private SyncReply usersPost(UrlForm form, String csrf) {
        String action = form.require("action");
        String name = form.require("name");
        try {
            switch (action) {
                case "add" -> service.addUser(name, form.require("password"));
                case "passwd" -> service.changePassword(name, form.require("password"));
                case "remove" -> service.removeUser(name);
                default -> throw AdminException.badRequest("unknown action '" + action + "'");
            }
        } catch (AdminException e) {
            return usersPage(e.status(), csrf, null, e.getMessage());
        }
        return redirect("users?ok=" + action + "&user=" + UrlForm.encode(name));
    }

    private SyncReply devicesPage(int status, Optional<String> user, String csrf, String message, String error) {
        List<AdminService.UserRow> users = service.users();
        Optional<String> selected = user.filter(u -> users.stream().anyMatch(row -> row.name().equals(u)));
        if (user.isPresent() && selected.isEmpty()) {
            throw AdminException.notFound("no user " + user.get());
        }
        return html(status, Pages.devices(users, selected, selected.map(service::devices).orElse(List.of()), csrf,
                message, error));
    }

    private SyncReply devicesPost(UrlForm form, String csrf) {
        String action = form.require("action");
        String user = form.require("user");
        try {
            switch (action) {
                case "revoke" -> service.revoke(user, keyId(form.require("id")));
                case "revoke-all" -> service.revokeAll(user);
                default -> throw AdminException.badRequest("unknown action '" + action + "'");
            }
        } catch (AdminException e) {
            if (e.status() == 404 && !service.users().stream().anyMatch(u -> u.name().equals(user))) {
                throw e;
            }
            return devicesPage(e.status(), Optional.of(user), csrf, null, e.getMessage());
        }
        return redirect("devices?user=" + UrlForm.encode(user) + "&ok=" + action);
    }

    private SyncReply historyPage(int status, Optional<String> user, String csrf, String message, String error) {
        List<AdminService.UserRow> users = service.users();
        Optional<String> selected = user.filter(u -> users.stream().anyMatch(row -> row.name().equals(u)));
        if (user.isPresent() && selected.isEmpty()) {
            throw AdminException.notFound("no user " + user.get());
        }
        return html(status, Pages.history(users, selected, selected.map(history::snapshots).orElse(List.of()),
                selected.map(history::trash).orElse(List.of()), csrf, message, error));
    }

    private SyncReply historyPost(Request r, UrlForm form, String csrf) {
        String action = form.require("action");
        String user = form.require("user");
        service.user(user);
        String done = action;
        try {
            switch (action) {
                case "create" -> done = history.create(user, r.address).isPresent() ? "create" : "nothing";
                case "restore" -> history.restore(user, form.require("id"), r.address);
                case "trash-restore" -> history.restoreFromTrash(user, List.of(form.require("name")));
                case "trash-restore-all" -> history.restoreFromTrash(user, List.of());
                default -> throw AdminException.badRequest("unknown action '" + action + "'");
            }
        } catch (AdminException e) {
            return historyPage(e.status(), Optional.of(user), csrf, null, e.getMessage());
        }
        return redirect("history?user=" + UrlForm.encode(user) + "&ok=" + done);
    }

    /** A snapshot as an Anki collection package, streamed from a temporary file that is deleted afterwards. */
    private SyncReply colpkg(String user, String id) {
        service.user(user);
        java.nio.file.Path file = history.export(user, id);
        try {
            long size = java.nio.file.Files.size(file);
            String name = user + "-" + id + ".colpkg";
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Disposition", "attachment; filename=\"" + asciiFileName(name)
                    + "\"; filename*=UTF-8''" + UrlForm.encode(name).replace("+", "%20"));
            SyncReply reply = reply(200, "application/octet-stream", new byte[0], headers);
            Map<String, String> withLength = new LinkedHashMap<>(reply.headers());
            withLength.put("Content-Length", Long.toString(size));
            return SyncReply.of(200, withLength, out -> java.nio.file.Files.copy(file, out))
                    .whenComplete(() -> {
                        try {
                            java.nio.file.Files.deleteIfExists(file);
                        } catch (IOException e) {
                            LOG.warn("could not delete the export {}", file, e);
                        }
                    });
        } catch (IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the temporary folder is cleaned by the system in the end
            }
            throw new UncheckedIOException(e);
        }
    }

    private static String asciiFileName(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return b.toString();
    }

    // ---- JSON endpoints ---------------------------------------------------------------------

    private SyncReply api(Request r) {
        String path = r.path.substring("api/".length());
        if (path.equals("login")) {
            requireMethod(r, "POST");
            requireSameOrigin(r);
            JsonNode body = r.json();
            AdminLogin.Attempt attempt = login.attempt(r.address, text(body, "password"));
            return switch (attempt.result()) {
                case OK -> {
                    AdminSessions.Session session = sessions.create();
                    yield withHeader(json(200, AdminJson.message("csrf", session.csrfToken())), "Set-Cookie",
                            cookie(r, SESSION_COOKIE, session.id(), -1));
                }
                case THROTTLED -> withHeader(json(429, AdminJson.message("error", "too many wrong passwords")),
                        "Retry-After", seconds(attempt.retryAfter().orElse(Duration.ZERO)));
                default -> json(403, AdminJson.message("error", "wrong password"));
            };
        }
        AdminSessions.Session session = r.session.orElseThrow(
                () -> new AdminException(401, "log in first: POST api/login with {\"password\": ...}"));
        if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
            requireSameOrigin(r);
            if (!session.csrfMatches(r.call.header(CSRF_HEADER).orElse(null))) {
                throw new AdminException(403, "the " + CSRF_HEADER + " header is missing or wrong");
            }
        }
        String[] parts = path.split("/", -1);
        switch (parts[0]) {
            case "logout" -> {
                requireMethod(r, "POST");
                sessions.end(session);
                return json(200, AdminJson.message("status", "logged out"));
            }
            case "overview" -> {
                requireMethod(r, "GET");
                return json(200, AdminJson.overview(service.overview()));
            }
            case "log" -> {
                requireMethod(r, "GET");
                return json(200, AdminJson.log(service.failures()));
            }
            case "users" -> {
                return apiUsers(r, parts);
            }
            default -> throw AdminException.notFound("no admin endpoint /api/" + path);
        }
    }

    private SyncReply apiUsers(Request r, String[] parts) {
        if (parts.length == 1) {
            if (r.method.equals("POST")) {
                JsonNode body = r.json();
                String name = text(body, "name");
                service.addUser(name, text(body, "password"));
                return json(201, AdminJson.user(service.user(name)));
            }
            requireMethod(r, "GET");
            return json(200, AdminJson.users(service.users()));
        }
        String name = parts[1];
        if (parts.length == 2) {
            if (r.method.equals("DELETE")) {
                service.removeUser(name);
                return json(200, AdminJson.message("status", "removed " + name));
            }
            requireMethod(r, "GET", "DELETE");
            return json(200, AdminJson.user(service.user(name)));
        }
        if (parts.length == 3 && parts[2].equals("password")) {
            requireMethod(r, "POST");
            service.changePassword(name, text(r.json(), "password"));
            return json(200, AdminJson.message("status", "password changed; devices of " + name + " logged out"));
        }
        if (parts[2].equals("snapshots")) {
            return apiSnapshots(r, name, parts);
        }
        if (parts[2].equals("media-trash")) {
            return apiTrash(r, name, parts);
        }
        if (parts[2].equals("devices") && parts.length == 3) {
            if (r.method.equals("DELETE")) {
                int count = service.revokeAll(name);
                return json(200, AdminJson.MAPPER.createObjectNode().put("revoked", count));
            }
            requireMethod(r, "GET", "DELETE");
            return json(200, AdminJson.devices(service.devices(name)));
        }
        if (parts[2].equals("devices") && parts.length == 4) {
            requireMethod(r, "DELETE");
            service.revoke(name, keyId(parts[3]));
            return json(200, AdminJson.MAPPER.createObjectNode().put("revoked", 1));
        }
        throw AdminException.notFound("no admin endpoint /" + r.path);
    }

    private SyncReply apiSnapshots(Request r, String name, String[] parts) {
        service.user(name);
        if (parts.length == 3) {
            if (r.method.equals("POST")) {
                Optional<SnapshotInfo> taken = history.create(name, r.address);
                return taken.map(s -> json(201, AdminJson.snapshot(s)))
                        .orElseGet(() -> json(200, AdminJson.message("status",
                                "nothing to snapshot: no notes or reviews")));
            }
            requireMethod(r, "GET", "POST");
            return json(200, AdminJson.snapshots(history.snapshots(name)));
        }
        if (parts.length == 5 && parts[4].equals("restore")) {
            requireMethod(r, "POST");
            return json(200, AdminJson.snapshot(history.restore(name, parts[3], r.address)));
        }
        if (parts.length == 5 && parts[4].equals("colpkg")) {
            requireMethod(r, "GET");
            return colpkg(name, parts[3]);
        }
        throw AdminException.notFound("no admin endpoint /" + r.path);
    }

    private SyncReply apiTrash(Request r, String name, String[] parts) {
        service.user(name);
        if (parts.length == 3) {
            requireMethod(r, "GET");
            return json(200, AdminJson.trash(history.trash(name)));
        }
        if (parts.length == 4 && parts[3].equals("restore")) {
            requireMethod(r, "POST");
            JsonNode names = r.json().get("names");
            List<String> wanted = new java.util.ArrayList<>();
            if (names != null) {
                if (!names.isArray()) {
                    throw AdminException.badRequest("names must be an array of file names");
                }
                names.forEach(n -> wanted.add(n.asText()));
            }
            return json(200, AdminJson.MAPPER.valueToTree(Map.of("restored", history.restoreFromTrash(name, wanted))));
        }
        throw AdminException.notFound("no admin endpoint /" + r.path);
    }

    /** One INFO line per change an admin made (or tried): who did what, for the server's log. */
    private static void audit(Request r, int status) {
        boolean change = r.method.equals("POST") || r.method.equals("DELETE");
        if (!change || r.session.isEmpty() || r.path.equals("login") || r.path.equals("api/login")) {
            return;
        }
        StringBuilder what = new StringBuilder();
        if (r.form != null) {
            for (String field : new String[] {"action", "name", "user", "id"}) {
                r.form.get(field).ifPresent(v -> what.append(' ').append(field).append('=')
                        .append(v.replaceAll("[\\p{Cntrl}\\s]", "_")));
            }
        }
        LOG.info("admin {} /{}{} from {}: {}", r.method, r.path, what, r.address, status);
    }

    // ---- checks -----------------------------------------------------------------------------

    /**
     * Refuses a state-changing request that a browser says came from another site. The CSRF
     * token is checked as well; this catches the cases where a token could have leaked.
     */
    private static void requireSameOrigin(Request r) {
        Optional<String> site = r.call.header("Sec-Fetch-Site").map(s -> s.trim().toLowerCase(Locale.ROOT));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            throw new AdminException(403, "cross-site request refused");
        }
        Optional<String> origin = r.call.header("Origin").map(String::trim);
        if (origin.isEmpty()) {
            return;
        }
        String authority = origin.get().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        if (origin.get().equals("null") || authority.equals(origin.get())) {
            throw new AdminException(403, "request from another origin refused");
        }
        boolean matches = r.call.header("Host").map(h -> h.trim().equalsIgnoreCase(authority)).orElse(false)
                || r.call.header("X-Forwarded-Host").map(h -> h.trim().equalsIgnoreCase(authority)).orElse(false);
        if (!matches) {
            throw new AdminException(403, "request from another origin refused: " + origin.get());
        }
    }

    private static void requireMethod(Request r, String... allowed) {
        for (String m : allowed) {
            if (r.method.equals(m)) {
                return;
            }
        }
        throw new AdminException(405, r.method + " is not allowed on /" + r.path);
    }

    private static void requireNoForm(UrlForm form) {
        if (form != null) {
            throw new AdminException(405, "POST is not allowed here");
        }
    }

    private static long keyId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("not a key id: " + raw);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw AdminException.badRequest("the JSON body needs a string '" + field + "'");
        }
        return value.textValue();
    }

    // ---- replies ----------------------------------------------------------------------------

    private String cookie(Request r, String name, String value, int maxAgeSeconds) {
        boolean secure = switch (secureCookie) {
            case "always" -> true;
            case "never" -> false;
            default -> r.call.header("X-Forwarded-Proto").map(p -> p.trim().equalsIgnoreCase("https"))
                    .orElse(false);
        };
        // No Path: the browser defaults it to the admin base, so the cookie never goes to the sync routes
        // when the admin area shares their port under a path.
        return name + "=" + value + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "");
    }

    private static SyncReply redirect(String location) {
        return reply(303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location));
    }

    private static SyncReply redirectWith(String location, String setCookie) {
        return reply(303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location,
                "Set-Cookie", setCookie));
    }

    private static SyncReply html(int status, String page) {
        return html(status, page, Map.of());
    }

    private static SyncReply html(int status, String page, Map<String, String> headers) {
        return reply(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String plain(String message) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ankisyncd admin</title>"
                + "<link rel=\"stylesheet\" href=\"static/admin.css\"></head><body><main id=\"main\">"
                + "<h1>ankisyncd admin</h1><p role=\"alert\">" + Html.esc(message)
                + "</p><p><a href=\"login\">Log in</a></p></main></body></html>";
    }

    private static SyncReply json(int status, JsonNode node) {
        try {
            return reply(status, "application/json", AdminJson.MAPPER.writeValueAsBytes(node), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SyncReply reply(int status, String contentType, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Integer.toString(body.length));
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        // Not no-referrer: with it, Chromium sends "Origin: null" on the admin's own form posts.
        headers.put("Referrer-Policy", "same-origin");
        headers.put("Cache-Control", "no-store");
        headers.putAll(extra);
        return SyncReply.of(status, headers, out -> out.write(body));
    }

    private static SyncReply withHeader(SyncReply reply, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put(name, value);
        return SyncReply.of(reply.status(), headers, reply.body());
    }

    private static String seconds(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the admin jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request: its path, method, client address and session, read once. */
    private final class Request {
        final SyncCall call;
        final String path;
        final String method;
        final String address;
        final Optional<AdminSessions.Session> session;
        /** The form body once read (a body can be read only once). */
        UrlForm form;

        Request(SyncCall call) {
            this.call = call;
            this.path = call.path();
            this.method = call.httpMethod().toUpperCase(Locale.ROOT);
            this.address = call.remoteAddress();
            this.session = cookie(SESSION_COOKIE).flatMap(sessions::find);
        }

        Optional<String> cookie(String name) {
            for (String header : call.headers("Cookie")) {
                for (String part : header.split(";")) {
                    int eq = part.indexOf('=');
                    if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                        return Optional.of(part.substring(eq + 1).trim());
                    }
                }
            }
            return Optional.empty();
        }

        Optional<String> query(String name) {
            return call.queryParameter(name).filter(v -> !v.isEmpty());
        }

        UrlForm form() {
            if (form != null) {
                return form;
            }
            String type = call.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/x-www-form-urlencoded")) {
                throw new AdminException(415, "forms must be sent as application/x-www-form-urlencoded");
            }
            form = UrlForm.read(call.body());
            return form;
        }

        JsonNode json() {
            String type = call.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/json")) {
                throw new AdminException(415, "send JSON with Content-Type: application/json");
            }
            try {
                JsonNode node = AdminJson.MAPPER.readTree(UrlForm.readCapped(call.body()));
                if (node == null || !node.isObject()) {
                    throw AdminException.badRequest("the body must be a JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw AdminException.badRequest("invalid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw AdminException.badRequest("cannot read the request body: " + e.getMessage());
            }
        }
    }
}
