package org.ankisync.admin;

/** The admin cookies' attributes: HttpOnly, SameSite=Strict, Secure over HTTPS (see ANKISYNCD_ADMIN_SECURE_COOKIE). */
final class SessionCookies {
    private final String secureCookie;

    SessionCookies(String secureCookie) {
        this.secureCookie = secureCookie;
    }

    String cookie(AdminRequest r, String name, String value, int maxAgeSeconds) {
        boolean secure = switch (secureCookie) {
            case "always" -> true;
            case "never" -> false;
            default ->
                r.call.header("X-Forwarded-Proto")
                        .map(p -> p.trim().equalsIgnoreCase("https"))
                        .orElse(false);
        };
        // No Path: the browser defaults it to the admin base, so the cookie never goes to the sync routes
        // when the admin area shares their port under a path.
        return name + "=" + value + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "");
    }
}
