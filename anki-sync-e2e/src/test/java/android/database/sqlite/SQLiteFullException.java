package android.database.sqlite;

/** Stub of Android's {@code SQLiteFullException} for the in-process 2.1.66 client; reached only on database errors. */
public class SQLiteFullException extends SQLiteException {
    public SQLiteFullException() {}

    public SQLiteFullException(String message) {
        super(message);
    }
}
