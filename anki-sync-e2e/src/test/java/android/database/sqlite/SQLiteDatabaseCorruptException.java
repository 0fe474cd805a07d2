package android.database.sqlite;

/** Stub of Android's {@code SQLiteDatabaseCorruptException} for the in-process 2.1.66 client; reached only on database errors. */
public class SQLiteDatabaseCorruptException extends SQLiteException {
    public SQLiteDatabaseCorruptException() {}

    public SQLiteDatabaseCorruptException(String message) {
        super(message);
    }
}
