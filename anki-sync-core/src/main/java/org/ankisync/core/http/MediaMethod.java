package org.ankisync.core.http;

import java.util.Optional;

/**
 * The {@code /msync/*} methods: the name on the wire and the HTTP methods that
 * may carry it ({@code begin} also as a GET with query parameters, from
 * legacy clients; the rest only POST).
 */
public enum MediaMethod {
    BEGIN("begin", true),
    MEDIA_CHANGES("mediaChanges", false),
    UPLOAD_CHANGES("uploadChanges", false),
    DOWNLOAD_FILES("downloadFiles", false),
    MEDIA_SANITY("mediaSanity", false);

    private final String wireName;
    private final boolean alsoGet;

    MediaMethod(String wireName, boolean alsoGet) {
        this.wireName = wireName;
        this.alsoGet = alsoGet;
    }

    /** The method's name in the path ({@code msync/<name>}). */
    public String wireName() {
        return wireName;
    }

    /** Whether {@code httpMethod} may carry this method. */
    public boolean allows(String httpMethod) {
        return httpMethod.equals("POST") || alsoGet && httpMethod.equals("GET");
    }

    /** The method with this wire name, if there is one. */
    public static Optional<MediaMethod> fromWire(String name) {
        for (MediaMethod method : values()) {
            if (method.wireName.equals(name)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
