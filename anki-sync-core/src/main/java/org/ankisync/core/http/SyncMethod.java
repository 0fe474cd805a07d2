package org.ankisync.core.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /sync/*} methods (rslib's {@code SyncMethod}): the name on the
 * wire and whether the method is a step of a running normal sync, so it needs
 * the session that {@code start} opened. All of them are POSTed.
 */
public enum SyncMethod {
    HOST_KEY("hostKey", false),
    META("meta", false),
    START("start", false),
    APPLY_GRAVES("applyGraves", true),
    APPLY_CHANGES("applyChanges", true),
    CHUNK("chunk", true),
    APPLY_CHUNK("applyChunk", true),
    SANITY_CHECK("sanityCheck2", true),
    FINISH("finish", true),
    ABORT("abort", false),
    UPLOAD("upload", false),
    DOWNLOAD("download", false);

    /** By wire name; looked up on every request ({@code values()} copies its array each call). */
    private static final Map<String, SyncMethod> BY_WIRE_NAME = new HashMap<>();

    static {
        for (SyncMethod method : values()) {
            BY_WIRE_NAME.put(method.wireName, method);
        }
    }

    private final String wireName;
    private final boolean needsSession;

    SyncMethod(String wireName, boolean needsSession) {
        this.wireName = wireName;
        this.needsSession = needsSession;
    }

    /** The method's name in the path ({@code sync/<name>}). */
    public String wireName() {
        return wireName;
    }

    /** Whether the method runs inside the session {@code start} opened (key checked, rolled back on failure). */
    public boolean needsSession() {
        return needsSession;
    }

    /** Whether {@code httpMethod} may carry this method: only POST. */
    public boolean allows(String httpMethod) {
        return httpMethod.equals("POST");
    }

    /** The method with this wire name, if there is one. */
    public static Optional<SyncMethod> fromWire(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
