package org.ankisync.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.auth.AccountStore;
import org.ankisync.auth.HostKeysContract;
import org.ankisync.auth.PasswordPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The host key contract on a real PostgreSQL: one cluster for the class, a new database per test. */
class PostgresHostKeysTest extends HostKeysContract {
    private static PostgresServer server;
    private PostgresServer.Database database;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newDatabase() {
        database = server.createDatabase();
    }

    @Override
    protected AccountStore open(Clock clock, PasswordPolicy hashing, Function<String, Optional<String>> credentials) {
        return PostgresAccountStore.open(
                DatabaseSettings.fromSettings(database.settings()), clock, hashing, credentials);
    }

    @Override
    protected List<String> storedKeys() {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key_sha256 FROM accounts.host_keys ORDER BY id")) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
