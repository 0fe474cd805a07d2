package org.ankisync.admin;

import static org.ankisync.admin.AdminHandler.CSRF_HEADER;
import static org.ankisync.admin.AdminHandler.SESSION_COOKIE;
import static org.ankisync.admin.Checks.keyId;
import static org.ankisync.admin.Checks.requireMethod;
import static org.ankisync.admin.Checks.requireSameOrigin;
import static org.ankisync.admin.Checks.text;
import static org.ankisync.admin.Replies.json;
import static org.ankisync.admin.Replies.seconds;
import static org.ankisync.admin.Replies.withHeader;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.http.SyncReply;

/**
 * The JSON endpoints (README, "Admin JSON endpoints"): the same actions as the pages.
 * Every POST and DELETE needs the session's token in X-CSRF-Token and a same-origin request.
 */
final class ApiRoutes {
    private final AdminService service;
    private final AdminHistory history;
    private final AdminSessions sessions;
    private final AdminLogin login;
    private final SessionCookies cookies;
    private final ColpkgDownload download;

    ApiRoutes(
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

    SyncReply api(AdminRequest r) {
        String path = r.path.substring("api/".length());
        if (path.equals("login")) {
            requireMethod(r, "POST");
            requireSameOrigin(r);
            JsonNode body = r.json();
            AdminLogin.Attempt attempt = login.attempt(r.address, text(body, "password"));
            return switch (attempt.result()) {
                case OK -> {
                    AdminSessions.Session session = sessions.create();
                    yield withHeader(
                            json(200, AdminJson.message("csrf", session.csrfToken())),
                            "Set-Cookie",
                            cookies.cookie(r, SESSION_COOKIE, session.id(), -1));
                }
                case THROTTLED ->
                    withHeader(
                            json(429, AdminJson.message("error", "too many wrong passwords")),
                            "Retry-After",
                            seconds(attempt.retryAfter().orElse(Duration.ZERO)));
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

    private SyncReply apiUsers(AdminRequest r, String[] parts) {
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

    private SyncReply apiSnapshots(AdminRequest r, String name, String[] parts) {
        service.user(name);
        if (parts.length == 3) {
            if (r.method.equals("POST")) {
                Optional<SnapshotInfo> taken = history.create(name, r.address);
                return taken.map(s -> json(201, AdminJson.snapshot(s)))
                        .orElseGet(() ->
                                json(200, AdminJson.message("status", "nothing to snapshot: no notes or reviews")));
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
            return download.colpkg(name, parts[3]);
        }
        throw AdminException.notFound("no admin endpoint /" + r.path);
    }

    private SyncReply apiTrash(AdminRequest r, String name, String[] parts) {
        service.user(name);
        if (parts.length == 3) {
            requireMethod(r, "GET");
            return json(200, AdminJson.trash(history.trash(name)));
        }
        if (parts.length == 4 && parts[3].equals("restore")) {
            requireMethod(r, "POST");
            JsonNode names = r.json().get("names");
            List<String> wanted = new ArrayList<>();
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
}
