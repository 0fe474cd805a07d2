package org.ankisync.auth;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;

/** The host key contract on the SQLite account database. */
class SqliteHostKeysTest extends HostKeysContract {
    @TempDir
    Path temp;

    @Override
    protected AccountStore open(Clock clock, PasswordPolicy hashing, Function<String, Optional<String>> credentials) {
        return SqliteAccountStore.open(temp.resolve("users.db"), clock, hashing, credentials);
    }

    @Override
    protected List<String> storedKeys() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + temp.resolve("users.db"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key_sha256 FROM host_keys ORDER BY id")) {
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
