package org.ankisync.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.auth.UserStore;

/** The default {@link AccountStore}: users and host keys in the SQLite {@link AuthDatabase}. */
public final class SqliteAccountStore implements AccountStore {
    private final AuthDatabase db;
    private final SqliteUserStore users;
    private final HostKeyStore keys;

    private SqliteAccountStore(AuthDatabase db, SqliteUserStore users, HostKeyStore keys) {
        this.db = db;
        this.users = users;
        this.keys = keys;
    }

    /** Opens (creating if needed) the account database at {@code path}. */
    public static SqliteAccountStore open(
            Path path, Clock clock, PasswordPolicy hashing, Function<String, Optional<String>> credentials) {
        AuthDatabase db = AuthDatabase.open(path);
        return new SqliteAccountStore(
                db, new SqliteUserStore(db, clock, hashing), new HostKeyStore(db, clock, credentials));
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public HostKeyStore keys() {
        return keys;
    }

    @Override
    public void close() {
        db.close();
    }
}
