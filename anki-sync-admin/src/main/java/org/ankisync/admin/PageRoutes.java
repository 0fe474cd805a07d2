package org.ankisync.admin;

import static org.ankisync.admin.AdminHandler.LOGIN_COOKIE;
import static org.ankisync.admin.AdminHandler.SESSION_COOKIE;
import static org.ankisync.admin.Checks.keyId;
import static org.ankisync.admin.Checks.requireMethod;
import static org.ankisync.admin.Checks.requireNoForm;
import static org.ankisync.admin.Checks.requireSameOrigin;
import static org.ankisync.admin.Replies.html;
import static org.ankisync.admin.Replies.redirect;
import static org.ankisync.admin.Replies.redirectWith;
import static org.ankisync.admin.Replies.seconds;
import static org.ankisync.admin.Replies.withHeader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.http.SyncReply;

/**
 * The HTML pages: login, overview, users, devices, history, log. Every POST needs the
 * session's CSRF token and a same-origin request; after a change the browser is
 * redirected (POST/redirect/GET) with a fixed message code.
 */
final class PageRoutes {
    private final AdminService service;
    private final AdminHistory history;
    private final AdminSessions sessions;
    private final AdminLogin login;
    private final SessionCookies cookies;
    private final ColpkgDownload download;

    PageRoutes(
            AdminService service,
            AdminHistory history,
            AdminSessions sessions,
            AdminLogin login,
            SessionCookies cookies,
            ColpkgDownload download) {
        this.service = service;
        this.history = history;
        this.sessions = sessions;
        this.login = login;
        this.cookies = cookies;
        this.download = download;
    }

    SyncReply page(AdminRequest r) {
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
                return form == null
                        ? usersPage(200, csrf, r.query("ok").map(Messages::of).orElse(null), null)
                        : usersPost(form, csrf);
            }
            case "devices" -> {
                return form == null
                        ? devicesPage(
                                200,
                                r.query("user"),
                                csrf,
                                r.query("ok").map(Messages::of).orElse(null),
                                null)
                        : devicesPost(form, csrf);
            }
            case "log" -> {
                requireNoForm(form);
                return html(200, Pages.log(service.failures(), csrf));
            }
            case "history" -> {
                return form == null
                        ? historyPage(
                                200,
                                r.query("user"),
                                csrf,
                                r.query("ok").map(Messages::of).orElse(null),
                                null)
                        : historyPost(r, form, csrf);
            }
            case "download" -> {
                requireNoForm(form);
                return download.colpkg(
                        r.query("user").orElseThrow(() -> AdminException.badRequest("user missing")),
                        r.query("id").orElseThrow(() -> AdminException.badRequest("id missing")));
            }
            case "logout" -> {
                if (form == null) {
                    throw new AdminException(405, "log out with POST");
                }
                sessions.end(session);
                return redirectWith("login", cookies.cookie(r, SESSION_COOKIE, "", 0));
            }
            default -> throw AdminException.notFound("no admin page /" + r.path);
        }
    }

    private SyncReply loginPage(AdminRequest r, int status, String error) {
        // Keep a token the browser already has: a second tab, or the browser's own favicon request
        // (redirected here), must not invalidate the form that is open.
        String token =
                r.cookie(LOGIN_COOKIE).filter(t -> t.matches("[0-9a-f]{64}")).orElseGet(AdminSessions::random);
        return html(
                status, Pages.login(token, error), Map.of("Set-Cookie", cookies.cookie(r, LOGIN_COOKIE, token, 600)));
    }

    private SyncReply loginPost(AdminRequest r) {
        requireSameOrigin(r);
        UrlForm form = r.form();
        Optional<String> bound = r.cookie(LOGIN_COOKIE);
        String token = form.get("csrf").orElse("");
        if (bound.isEmpty() || token.isEmpty() || !AdminSessions.constantTimeEquals(bound.get(), token)) {
            throw new AdminException(403, "the login form's token is missing or wrong: reload the login page");
        }
        AdminLogin.Attempt attempt =
                login.attempt(r.address, form.get("password").orElse(""));
        switch (attempt.result()) {
            case OK -> {
                AdminSessions.Session session = sessions.create();
                return redirectWith("./", cookies.cookie(r, SESSION_COOKIE, session.id(), -1));
            }
            case THROTTLED -> {
                SyncReply page = loginPage(
                        r,
                        429,
                        "Too many wrong passwords: try again in "
                                + seconds(attempt.retryAfter().orElse(Duration.ZERO)) + " seconds.");
                return withHeader(
                        page, "Retry-After", seconds(attempt.retryAfter().orElse(Duration.ZERO)));
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
        Optional<String> selected =
                user.filter(u -> users.stream().anyMatch(row -> row.name().equals(u)));
        if (user.isPresent() && selected.isEmpty()) {
            throw AdminException.notFound("no user " + user.get());
        }
        return html(
                status,
                Pages.devices(users, selected, selected.map(service::devices).orElse(List.of()), csrf, message, error));
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
            if (e.status() == 404
                    && !service.users().stream().anyMatch(u -> u.name().equals(user))) {
                throw e;
            }
            return devicesPage(e.status(), Optional.of(user), csrf, null, e.getMessage());
        }
        return redirect("devices?user=" + UrlForm.encode(user) + "&ok=" + action);
    }

    private SyncReply historyPage(int status, Optional<String> user, String csrf, String message, String error) {
        List<AdminService.UserRow> users = service.users();
        Optional<String> selected =
                user.filter(u -> users.stream().anyMatch(row -> row.name().equals(u)));
        if (user.isPresent() && selected.isEmpty()) {
            throw AdminException.notFound("no user " + user.get());
        }
        return html(
                status,
                Pages.history(
                        users,
                        selected,
                        selected.map(history::snapshots).orElse(List.of()),
                        selected.map(history::trash).orElse(List.of()),
                        csrf,
                        message,
                        error));
    }

    private SyncReply historyPost(AdminRequest r, UrlForm form, String csrf) {
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
}
