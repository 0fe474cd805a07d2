package org.ankisync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/** The checks every admin route shares: method, origin, form-less pages, ids and JSON fields. */
final class Checks {
    private Checks() {}

    /**
     * Refuses a state-changing request that a browser says came from another site. The CSRF
     * token is checked as well; this catches the cases where a token could have leaked.
     */
    static void requireSameOrigin(AdminRequest r) {
        Optional<String> site =
                r.call.header("Sec-Fetch-Site").map(s -> s.trim().toLowerCase(Locale.ROOT));
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
        boolean matches = r.call.header("Host")
                        .map(h -> h.trim().equalsIgnoreCase(authority))
                        .orElse(false)
                || r.call.header("X-Forwarded-Host")
                        .map(h -> h.trim().equalsIgnoreCase(authority))
                        .orElse(false);
        if (!matches) {
            throw new AdminException(403, "request from another origin refused: " + origin.get());
        }
    }

    static void requireMethod(AdminRequest r, String... allowed) {
        for (String m : allowed) {
            if (r.method.equals(m)) {
                return;
            }
        }
        throw new AdminException(405, r.method + " is not allowed on /" + r.path);
    }

    static void requireNoForm(UrlForm form) {
        if (form != null) {
            throw new AdminException(405, "POST is not allowed here");
        }
    }

    static long keyId(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("not a key id: " + raw);
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw AdminException.badRequest("the JSON body needs a string '" + field + "'");
        }
        return value.textValue();
    }
}
