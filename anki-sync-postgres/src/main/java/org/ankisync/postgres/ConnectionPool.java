package org.ankisync.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A small HikariCP pool over the PostgreSQL JDBC driver.
 *
 * <p>Small on purpose: every query of the account store is one short
 * statement or transaction (a login's cost is PBKDF2 on the server's own CPU,
 * not the database), so a handful of connections serve many request threads;
 * PostgreSQL gives each connection a process of its own, and several server
 * nodes (plus the command line) share one database's {@code max_connections}.
 *
 * <p>Well kept: connections are checked with a keepalive before an idle
 * firewall or proxy can drop them and retired after 30 minutes, a request
 * waits at most 10 seconds for one (then fails with a 500 rather than
 * hanging), and a pool that cannot connect at start-up fails start-up with the
 * driver's reason instead of starting a server that refuses every login.
 */
public final class ConnectionPool {
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    static final Duration KEEPALIVE = Duration.ofMinutes(2);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    private ConnectionPool() {}

    /**
     * Opens a pool named {@code ankisyncd-<purpose>} (shown in PostgreSQL's
     * {@code pg_stat_activity} as the application name too).
     *
     * @throws IllegalStateException if the database cannot be reached or refuses the login
     */
    public static HikariDataSource open(DatabaseSettings settings, String purpose) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ankisyncd-" + purpose);
        // Named, not looked up in DriverManager, which a servlet container's class loaders may hide it from.
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setKeepaliveTime(KEEPALIVE.toMillis());
        config.setMaxLifetime(MAX_LIFETIME.toMillis());
        config.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        config.addDataSourceProperty("ApplicationName", "ankisyncd-" + purpose);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot connect to PostgreSQL at " + settings.safeUrl() + ": " + rootMessage(e), e);
        }
    }

    /** Closes a pool opened here (waits for borrowed connections to come back). */
    public static void close(DataSource pool) {
        if (pool instanceof HikariDataSource hikari) {
            hikari.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
