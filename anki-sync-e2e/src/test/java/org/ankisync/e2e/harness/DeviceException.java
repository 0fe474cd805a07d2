package org.ankisync.e2e.harness;

/**
 * An error the official client raised.
 *
 * @see #kind() {@code AUTH} for rejected credentials, {@code OTHER}, ... as the client names it
 */
public final class DeviceException extends RuntimeException {
    private final String errorType;
    private final String kind;

    public DeviceException(String errorType, String kind, String message) {
        super(errorType + (kind == null ? "" : "[" + kind + "]") + ": " + message);
        this.errorType = errorType;
        this.kind = kind;
    }

    /** The client's exception class name (for example {@code SyncError}, {@code NetworkError}). */
    public String errorType() {
        return errorType;
    }

    /** The sync error kind ({@code AUTH}, {@code OTHER}, ...) or null. */
    public String kind() {
        return kind;
    }

    public boolean isAuthFailure() {
        return "AUTH".equals(kind);
    }
}
