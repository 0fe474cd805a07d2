package org.ankisync.admin;

/** An admin action refused, with the HTTP status the page or JSON endpoint answers. */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public AdminException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static AdminException badRequest(String message) {
        return new AdminException(400, message);
    }

    static AdminException notFound(String message) {
        return new AdminException(404, message);
    }
}
