package org.ankisync.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.ankisync.core.http.SyncCall;

/** One admin request: its path, method, client address and session, read once. */
final class AdminRequest {
    private final AdminSessions sessions;
    final SyncCall call;
    final String path;
    final String method;
    final String address;
    final Optional<AdminSessions.Session> session;
    /** The form body once read (a body can be read only once). */
    UrlForm form;

    AdminRequest(SyncCall call, AdminSessions sessions) {
        this.sessions = sessions;
        this.call = call;
        this.path = call.path();
        this.method = call.httpMethod().toUpperCase(Locale.ROOT);
        this.address = call.remoteAddress();
        this.session = cookie(AdminHandler.SESSION_COOKIE).flatMap(sessions::find);
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
