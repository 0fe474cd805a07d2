package org.ankisync.core.http;

/** The status codes the sync protocol uses, named after what the client makes of them. */
public final class HttpStatus {
    public static final int OK = 200;
    /** Only on {@code meta}: "your account lives at {@code Location}" (the client retries {@code meta} there once). */
    public static final int PERMANENT_REDIRECT = 308;

    public static final int BAD_REQUEST = 400;
    /** Only ever for bad credentials or an unknown host key: the client forgets its login. */
    public static final int FORBIDDEN = 403;

    public static final int NOT_FOUND = 404;
    public static final int METHOD_NOT_ALLOWED = 405;
    /** "Only one copy of Anki can sync to your account at once." */
    public static final int CONFLICT = 409;

    public static final int PAYLOAD_TOO_LARGE = 413;
    public static final int INTERNAL_ERROR = 500;
    /** "Your Anki version is too old." */
    public static final int CLIENT_TOO_OLD = 501;
    /** "AnkiWeb encountered a problem. Please try again in a few minutes.": retryable. */
    public static final int SERVICE_UNAVAILABLE = 503;

    private HttpStatus() {}
}
