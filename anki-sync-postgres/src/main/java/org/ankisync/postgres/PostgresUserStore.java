package org.ankisync.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ankisync.auth.PasswordPolicy;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.auth.UserStore;

/**
 * Users in {@code accounts.users}, with the semantics of the SQLite store: one
 * salted PBKDF2 hash (PHC string) per user, names compared and sorted by code
 * point, and removing a user or changing a password deletes the user's host
 * keys in the same transaction, so every node refuses them at once.
 */
final class PostgresUserStore implements UserStore {
    private final Sql sql;
    private final Clock clock;
    private final PasswordPolicy hashing;

    PostgresUserStore(Sql sql, Clock clock, PasswordPolicy hashing) {
        this.sql = sql;
        this.clock = clock;
        this.hashing = hashing;
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        Optional<String> stored = sql.run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT password FROM accounts.users WHERE name = ?")) {
                s.setString(1, username);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        return hashing.verify(stored, password);
    }

    @Override
    public boolean exists(String username) {
        return sql.run(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM accounts.users WHERE name = ?")) {
                s.setString(1, username);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<String> list() {
        // COLLATE "C": code-point order whatever the database's locale, as SQLite and Java sort.
        return sql.run(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s =
                            c.prepareStatement("SELECT name FROM accounts.users ORDER BY name COLLATE \"C\"");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    @Override
    public void add(String username, String password) {
        UserNames.requireValid(username);
        String hash = hashing.hash(password);
        OffsetDateTime now = Times.at(clock.millis());
        boolean added = sql.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts.users (name, password, created_at,"
                    + " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, username);
                s.setString(2, hash);
                s.setObject(3, now);
                s.setObject(4, now);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            // A new account never inherits keys of an earlier one with the same name.
            deleteKeysOf(c, username);
            return true;
        });
        if (!added) {
            throw new IllegalArgumentException("user '" + username + "' already exists");
        }
    }

    @Override
    public boolean remove(String username) {
        return sql.inTransaction(c -> {
            deleteKeysOf(c, username);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM accounts.users WHERE name = ?")) {
                s.setString(1, username);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean changePassword(String username, String newPassword) {
        String hash = hashing.hash(newPassword);
        OffsetDateTime now = Times.at(clock.millis());
        return sql.inTransaction(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE accounts.users SET password = ?, updated_at = ? WHERE name = ?")) {
                s.setString(1, hash);
                s.setObject(2, now);
                s.setString(3, username);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            deleteKeysOf(c, username);
            return true;
        });
    }

    static int deleteKeysOf(Connection c, String username) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM accounts.host_keys WHERE username = ?")) {
            s.setString(1, username);
            return s.executeUpdate();
        }
    }
}
