package org.ankisync.media.zip;

/** An upload zip that breaks a rule; the whole request is refused with 400 and nothing is stored. */
public final class ZipRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ZipRefusedException(String message) {
        super(message);
    }

    public ZipRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
