package org.ankisync.postgres;

import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway schema migrations, one <em>concern</em> at a time (accounts, a node
 * directory, ...). Each concern owns a PostgreSQL schema of its name, its
 * migrations live under {@code classpath:db/migration/<concern>}, and its own
 * Flyway history table is {@code <concern>.flyway_schema_history}. So concerns
 * shipped by different modules share one database yet are versioned apart: one
 * can be added or upgraded without renumbering the others' scripts, and none
 * sees another's tables as an unknown non-empty schema.
 *
 * <p>Every server node migrates at start-up; Flyway serialises concurrent
 * migrations of one database with a PostgreSQL advisory lock, so nodes starting
 * together apply each script once. Scripts already applied by a newer build
 * (versions this build does not have) are tolerated, Flyway's default, so
 * older nodes keep serving during a rolling upgrade: migrations must therefore
 * only add (tables, columns with defaults, indexes), never rename or drop what
 * a running older node still uses.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern CONCERN = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private Migrations() {}

    /**
     * Brings the schema {@code concern} up to date with the scripts under
     * {@code db/migration/<concern>}.
     *
     * @return the schema version after migrating
     * @throws IllegalStateException if a script fails or an applied script was changed
     */
    public static String apply(DataSource dataSource, String concern) {
        if (!CONCERN.matcher(concern).matches()) {
            throw new IllegalArgumentException("a concern is a lower-case schema name, got '" + concern + "'");
        }
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(concern)
                .defaultSchema(concern)
                .createSchemas(true)
                .locations("classpath:db/migration/" + concern)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            String version = flyway.info().current() == null
                    ? "none"
                    : flyway.info().current().getVersion().getVersion();
            if (result.migrationsExecuted > 0) {
                LOG.info(
                        "schema {}: applied {} migration(s), now at version {}",
                        concern,
                        result.migrationsExecuted,
                        version);
            }
            return version;
        } catch (FlywayException e) {
            throw new IllegalStateException(
                    "migrating the PostgreSQL schema " + concern + " failed: " + e.getMessage(), e);
        }
    }
}
