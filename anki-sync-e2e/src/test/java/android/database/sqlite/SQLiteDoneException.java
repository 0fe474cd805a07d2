package android.database.sqlite;

/** Stub of Android's {@code SQLiteDoneException} for the in-process 2.1.66 client; reached only on database errors. */
public class SQLiteDoneException extends SQLiteException {
    public SQLiteDoneException() {}

    public SQLiteDoneException(String message) {
        super(message);
    }
}
