package android.database.sqlite;

/** Stub of Android's {@code SQLiteConstraintException} for the in-process 2.1.66 client; reached only on database errors. */
public class SQLiteConstraintException extends SQLiteException {
    public SQLiteConstraintException() {}

    public SQLiteConstraintException(String message) {
        super(message);
    }
}
