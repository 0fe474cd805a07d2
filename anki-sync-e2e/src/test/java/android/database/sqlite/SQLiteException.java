package android.database.sqlite;

import android.database.SQLException;

/**
 * Stub of Android's {@code SQLiteException} for the in-process 2.1.66 client:
 * the backend converts database errors into these, so without the class a
 * corrupt collection would surface as {@code NoClassDefFoundError}.
 */
public class SQLiteException extends SQLException {
    public SQLiteException() {}

    public SQLiteException(String message) {
        super(message);
    }

    public SQLiteException(String message, Throwable cause) {
        super(message, cause);
    }
}
