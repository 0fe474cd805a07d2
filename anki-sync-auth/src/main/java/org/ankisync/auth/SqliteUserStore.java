package org.ankisync.auth;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.auth.UserStore;

/**
 * The default store: the {@code users} table of the {@link AuthDatabase}, one
 * salted PBKDF2 hash per user. Removing a user or changing a password deletes
 * the user's host keys in the same transaction.
 */
public final class SqliteUserStore implements UserStore {
    private final AuthDatabase db;
    private final Clock clock;
    private final PasswordPolicy hashing;

    public SqliteUserStore(AuthDatabase db, Clock clock, PasswordPolicy hashing) {
        this.db = db;
        this.clock = clock;
        this.hashing = hashing;
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        Optional<String> stored = db.with(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT password FROM users WHERE name = ?")) {
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
        return db.with(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM users WHERE name = ?")) {
                s.setString(1, username);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<String> list() {
        return db.with(c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM users ORDER BY name");
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
        long now = clock.millis();
        boolean added = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT OR IGNORE INTO users (name, password, created_at," + " updated_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, username);
                s.setString(2, hash);
                s.setLong(3, now);
                s.setLong(4, now);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            // A new account never inherits keys of an earlier one with the same name.
            HostKeyStore.deleteKeysOf(c, username);
            return true;
        });
        if (!added) {
            throw new IllegalArgumentException("user '" + username + "' already exists");
        }
    }

    @Override
    public boolean remove(String username) {
        return db.inTransaction(c -> {
            HostKeyStore.deleteKeysOf(c, username);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
                s.setString(1, username);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean changePassword(String username, String newPassword) {
        String hash = hashing.hash(newPassword);
        long now = clock.millis();
        return db.inTransaction(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE users SET password = ?, updated_at = ? WHERE name = ?")) {
                s.setString(1, hash);
                s.setLong(2, now);
                s.setString(3, username);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            HostKeyStore.deleteKeysOf(c, username);
            return true;
        });
    }
}
