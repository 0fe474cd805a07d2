package org.ankisync.core.http;

import java.util.Optional;
import java.util.Set;

/**
 * Where a request goes, decided from its path alone.
 *
 * @param area   {@code sync}, {@code msync}, {@code health}, {@code ready} or {@code metrics}
 * @param method the protocol method name ({@code meta}, {@code begin}, ...); empty for health
 */
public record Route(String area, String method) {
    public static final String SYNC = "sync";
    public static final String MEDIA = "msync";
    public static final String HEALTH = "health";
    public static final String READY = "ready";
    public static final String METRICS = "metrics";

    static final Set<String> SYNC_METHODS = Set.of("hostKey", "meta", "start", "applyGraves", "applyChanges",
            "chunk", "applyChunk", "sanityCheck2", "finish", "abort", "upload", "download");
    static final Set<String> MEDIA_METHODS = Set.of("begin", "mediaChanges", "uploadChanges", "downloadFiles",
            "mediaSanity");

    /**
     * Parses a path below the sync base. Empty when the path is unknown (404);
     * throws 400 for a known area with an unknown method, as the official router does.
     */
    public static Optional<Route> parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.equals(HEALTH) || p.equals(READY) || p.equals(METRICS)) {
            return Optional.of(new Route(p, ""));
        }
        int slash = p.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String area = p.substring(0, slash);
        String method = p.substring(slash + 1);
        Set<String> known;
        if (area.equals(SYNC)) {
            known = SYNC_METHODS;
        } else if (area.equals(MEDIA)) {
            known = MEDIA_METHODS;
        } else {
            return Optional.empty();
        }
        if (method.isEmpty() || method.contains("/")) {
            return Optional.empty();
        }
        if (!known.contains(method)) {
            throw SyncException.badRequest("unknown " + area + " method: " + abbreviate(method));
        }
        return Optional.of(new Route(area, method));
    }

    /** Whether the HTTP method is allowed on this route. */
    public boolean allows(String httpMethod) {
        if (area.equals(HEALTH) || area.equals(READY) || area.equals(METRICS)) {
            return httpMethod.equals("GET") || httpMethod.equals("HEAD");
        }
        if (area.equals(MEDIA) && method.equals("begin")) {
            return httpMethod.equals("GET") || httpMethod.equals("POST");
        }
        return httpMethod.equals("POST");
    }

    /** The route as a metric label and in the access log: {@code sync/meta}, {@code health}, ... */
    public String label() {
        return method.isEmpty() ? area : area + "/" + method;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
