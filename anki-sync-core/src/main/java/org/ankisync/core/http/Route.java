package org.ankisync.core.http;

import java.util.Optional;

/**
 * Where a request goes, decided from its path alone.
 *
 * @param area  which part of the server answers
 * @param sync  the collection method when {@code area} is {@link Area#SYNC}, else null
 * @param media the media method when {@code area} is {@link Area#MEDIA}, else null
 */
public record Route(Area area, SyncMethod sync, MediaMethod media) {

    /** The first segment of the path. */
    public enum Area {
        SYNC("sync"),
        MEDIA("msync"),
        HEALTH("health"),
        READY("ready"),
        METRICS("metrics");

        private final String path;

        Area(String path) {
            this.path = path;
        }

        /** The area as it appears in the path. */
        public String path() {
            return path;
        }
    }

    public static Route of(SyncMethod method) {
        return new Route(Area.SYNC, method, null);
    }

    public static Route of(MediaMethod method) {
        return new Route(Area.MEDIA, null, method);
    }

    /**
     * Parses a path below the sync base. Empty when the path is unknown (404);
     * throws 400 for a known area with an unknown method, as the official router does.
     */
    public static Optional<Route> parse(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        for (Area plain : new Area[] {Area.HEALTH, Area.READY, Area.METRICS}) {
            if (p.equals(plain.path())) {
                return Optional.of(new Route(plain, null, null));
            }
        }
        int slash = p.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String area = p.substring(0, slash);
        String method = p.substring(slash + 1);
        if (!area.equals(Area.SYNC.path()) && !area.equals(Area.MEDIA.path())) {
            return Optional.empty();
        }
        if (method.isEmpty() || method.contains("/")) {
            return Optional.empty();
        }
        Optional<Route> known = area.equals(Area.SYNC.path())
                ? SyncMethod.fromWire(method).map(Route::of)
                : MediaMethod.fromWire(method).map(Route::of);
        if (known.isEmpty()) {
            throw SyncException.badRequest("unknown " + area + " method: " + abbreviate(method));
        }
        return known;
    }

    /** Whether the HTTP method is allowed on this route. */
    public boolean allows(String httpMethod) {
        return switch (area) {
            case SYNC -> sync.allows(httpMethod);
            case MEDIA -> media.allows(httpMethod);
            case HEALTH, READY, METRICS -> httpMethod.equals("GET") || httpMethod.equals("HEAD");
        };
    }

    /** The route as a metric label and in the access log: {@code sync/meta}, {@code health}, ... */
    public String label() {
        return switch (area) {
            case SYNC -> area.path() + "/" + sync.wireName();
            case MEDIA -> area.path() + "/" + media.wireName();
            case HEALTH, READY, METRICS -> area.path();
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
