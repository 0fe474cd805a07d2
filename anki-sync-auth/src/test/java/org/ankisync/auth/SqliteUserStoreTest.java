package org.ankisync.auth;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;

/** The user contract on the SQLite account database. */
class SqliteUserStoreTest extends UserStoreContract {
    @TempDir
    Path temp;

    @Override
    protected AccountStore open(Clock clock, PasswordPolicy hashing, Function<String, Optional<String>> credentials) {
        return SqliteAccountStore.open(temp.resolve("users.db"), clock, hashing, credentials);
    }

    @Override
    protected Optional<String> storedPassword(String username) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + temp.resolve("users.db"));
                PreparedStatement s = c.prepareStatement("SELECT password FROM users WHERE name = ?")) {
            s.setString(1, username);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
