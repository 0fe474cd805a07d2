package org.ankisync.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The pooled connection to the directory's PostgreSQL database, its schema
 * brought up to date by Flyway on opening (our own history table, so the
 * directory's migrations live beside others in one database).
 */
public final class ClusterDatabase implements AutoCloseable {
    private final HikariDataSource pool;

    private ClusterDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    public static ClusterDatabase open(ClusterSettings settings, String poolName, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.databaseUrl());
        settings.databaseUser().ifPresent(config::setUsername);
        settings.databasePassword().ifPresent(config::setPassword);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        // A node must notice a missing database quickly rather than hang its requests.
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/cluster")
                    .table("cluster_schema_history").baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new ClusterDatabase(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
