package org.ankisync.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool and the per-concern migrations against a real PostgreSQL. */
class MigrationsTest {
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void eachConcernHasItsSchemaAndHistoryAndMigratingAgainChangesNothing() throws SQLException {
        PostgresServer.Database db = server.createDatabase();
        try (HikariDataSource pool = ConnectionPool.open(settingsOf(db), "test")) {
            assertEquals("1", Migrations.apply(pool, "accounts"));
            // A second concern with a table of the same name lives beside it, versioned apart.
            assertEquals("1", Migrations.apply(pool, "probe"));
            assertEquals("1", Migrations.apply(pool, "accounts"));
        }
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            assertEquals(
                    List.of(
                            "accounts.flyway_schema_history",
                            "accounts.host_keys",
                            "accounts.users",
                            "probe.flyway_schema_history",
                            "probe.users"),
                    tables(s));
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM accounts.flyway_schema_history" + " WHERE success AND version = '1'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the accounts script ran once");
            }
        }
    }

    @Test
    void nodesStartingTogetherApplyEachScriptOnce() throws Exception {
        PostgresServer.Database db = server.createDatabase();
        int nodes = 4;
        ExecutorService starts = Executors.newFixedThreadPool(nodes);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> versions = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                versions.add(starts.submit(() -> {
                    go.await();
                    try (HikariDataSource pool = ConnectionPool.open(settingsOf(db), "test")) {
                        return Migrations.apply(pool, "accounts");
                    }
                }));
            }
            go.countDown();
            for (Future<String> version : versions) {
                assertEquals("1", version.get());
            }
        } finally {
            starts.shutdownNow();
        }
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM accounts.flyway_schema_history WHERE version = '1'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void aConcernWithoutScriptsIsRefused() {
        PostgresServer.Database db = server.createDatabase();
        try (HikariDataSource pool = ConnectionPool.open(settingsOf(db), "test")) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> Migrations.apply(pool, "nothing_here"));
            assertTrue(e.getMessage().contains("nothing_here"), e.getMessage());
        }
    }

    @Test
    void aWrongPasswordFailsOpeningThePoolWithTheServersReason() {
        PostgresServer.Database db = server.createDatabase();
        DatabaseSettings wrong = new DatabaseSettings(db.url(), db.user(), "not-the-password", 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConnectionPool.open(wrong, "test"));
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains(db.url()), e.getMessage());
    }

    static DatabaseSettings settingsOf(PostgresServer.Database db) {
        return DatabaseSettings.fromSettings(db.settings());
    }

    private static List<String> tables(Statement s) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables"
                + " WHERE schemaname IN ('accounts', 'probe') ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
