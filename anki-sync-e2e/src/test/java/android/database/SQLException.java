package android.database;

/** Stub of Android's {@code SQLException} for the in-process 2.1.66 client; reached only on database errors. */
public class SQLException extends RuntimeException {
    public SQLException() {}

    public SQLException(String message) {
        super(message);
    }

    public SQLException(String message, Throwable cause) {
        super(message, cause);
    }
}
