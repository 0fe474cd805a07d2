package org.ankisync.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.auth.AccountStore;
import org.ankisync.auth.IssuedKeys;
import org.ankisync.auth.PasswordPolicy;
import org.ankisync.core.auth.UserStore;

/**
 * Users and host keys in PostgreSQL (schema {@code accounts}), so several
 * server nodes and the command line share them: its own small pool
 * ({@link ConnectionPool}), the schema brought up to date by {@link Migrations}
 * when opened.
 */
public final class PostgresAccountStore implements AccountStore {
    /** The schema and migration folder ({@code db/migration/accounts}) of the accounts. */
    public static final String CONCERN = "accounts";

    private final HikariDataSource pool;
    private final PostgresUserStore users;
    private final PostgresHostKeys keys;

    private PostgresAccountStore(
            HikariDataSource pool,
            Clock clock,
            PasswordPolicy hashing,
            Function<String, Optional<String>> credentials) {
        this.pool = pool;
        Sql sql = new Sql(pool, CONCERN);
        this.users = new PostgresUserStore(sql, clock, hashing);
        this.keys = new PostgresHostKeys(sql, clock, credentials);
    }

    /**
     * Connects, migrates the {@code accounts} schema and returns the store.
     *
     * @param credentials the current credential fingerprint of a user ({@code SYNC_USERn}), or empty
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static PostgresAccountStore open(
            DatabaseSettings settings,
            Clock clock,
            PasswordPolicy hashing,
            Function<String, Optional<String>> credentials) {
        HikariDataSource pool = ConnectionPool.open(settings, CONCERN);
        try {
            Migrations.apply(pool, CONCERN);
            return new PostgresAccountStore(pool, clock, hashing, credentials);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public IssuedKeys keys() {
        return keys;
    }

    @Override
    public void close() {
        pool.close();
    }
}
