package org.ankisync.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.auth.AccountStore;
import org.ankisync.auth.PasswordPolicy;
import org.ankisync.auth.UserStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The user contract on a real PostgreSQL: one cluster for the class, a new database per test. */
class PostgresUserStoreTest extends UserStoreContract {
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
    protected Optional<String> storedPassword(String username) {
        try (Connection c = database.connect();
                PreparedStatement s = c.prepareStatement("SELECT password FROM accounts.users WHERE name = ?")) {
            s.setString(1, username);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
