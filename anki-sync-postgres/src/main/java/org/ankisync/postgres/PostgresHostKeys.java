package org.ankisync.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.auth.HostKeyRecord;
import org.ankisync.auth.HostKeyTokens;
import org.ankisync.auth.IssuedKeys;
import org.ankisync.core.auth.LoginContext;

/**
 * Host keys in {@code accounts.host_keys}, with the semantics of the SQLite
 * {@code HostKeyStore}: one random key per login, stored only as its SHA-256,
 * with client version, first and last use and address; the last use is
 * written at most once a minute per key unless the address changes. Nothing
 * is cached, so a key revoked on one node (or by the command line) is refused
 * by every node at its next request.
 */
final class PostgresHostKeys implements IssuedKeys {
    private final Sql sql;
    private final Clock clock;
    private final Function<String, Optional<String>> credentials;

    PostgresHostKeys(Sql sql, Clock clock, Function<String, Optional<String>> credentials) {
        this.sql = sql;
        this.clock = clock;
        this.credentials = credentials;
    }

    @Override
    public String issue(String username, LoginContext context) {
        String key = HostKeyTokens.newKey();
        OffsetDateTime now = Times.at(clock.millis());
        String credential = credentials.apply(username).orElse(null);
        String address = HostKeyTokens.cut(context.remoteAddress());
        sql.run(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO accounts.host_keys (key_sha256, username,"
                    + " credential, client_version, created_at, first_address, last_used_at, last_address)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, HostKeyTokens.sha256(key));
                s.setString(2, username);
                s.setString(3, credential);
                s.setString(4, HostKeyTokens.cut(context.clientVersion()));
                s.setObject(5, now);
                s.setString(6, address);
                s.setObject(7, now);
                s.setString(8, address);
                return s.executeUpdate();
            }
        });
        return key;
    }

    @Override
    public Optional<String> resolve(String hostKey) {
        return resolve(hostKey, null);
    }

    @Override
    public Optional<String> resolve(String hostKey, LoginContext context) {
        if (!HostKeyTokens.isPlausible(hostKey)) {
            return Optional.empty();
        }
        String hash = HostKeyTokens.sha256(hostKey);
        long now = clock.millis();
        return sql.run(c -> {
            long id;
            String user;
            String credential;
            long lastUsed;
            String lastAddress;
            try (PreparedStatement s = c.prepareStatement("SELECT id, username, credential, last_used_at,"
                    + " last_address FROM accounts.host_keys WHERE key_sha256 = ?")) {
                s.setString(1, hash);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getLong(1);
                    user = rs.getString(2);
                    credential = rs.getString(3);
                    lastUsed = Times.millis(rs, 4);
                    lastAddress = rs.getString(5);
                }
            }
            if (!Objects.equals(credential, credentials.apply(user).orElse(null))) {
                return Optional.empty();
            }
            String address = context == null ? null : HostKeyTokens.cut(context.remoteAddress());
            boolean moved = address != null && !address.equals(lastAddress);
            if (moved || now - lastUsed >= HostKeyTokens.TOUCH_INTERVAL.toMillis()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE accounts.host_keys SET last_used_at = ?,"
                        + " last_address = coalesce(?, last_address) WHERE id = ?")) {
                    s.setObject(1, Times.at(now));
                    s.setString(2, address);
                    s.setLong(3, id);
                    s.executeUpdate();
                }
            }
            return Optional.of(user);
        });
    }

    @Override
    public List<HostKeyRecord> list(Optional<String> user) {
        return sql.run(c -> {
            String query = "SELECT id, username, client_version, created_at, first_address, last_used_at,"
                    + " last_address FROM accounts.host_keys" + (user.isPresent() ? " WHERE username = ?" : "")
                    + " ORDER BY id";
            List<HostKeyRecord> records = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(query)) {
                if (user.isPresent()) {
                    s.setString(1, user.get());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        records.add(new HostKeyRecord(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                Times.instant(rs, 4),
                                rs.getString(5),
                                Times.instant(rs, 6),
                                rs.getString(7)));
                    }
                }
            }
            return records;
        });
    }

    @Override
    public boolean revoke(long id) {
        return sql.run(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM accounts.host_keys WHERE id = ?")) {
                s.setLong(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int revokeAll(String username) {
        return sql.run(c -> PostgresUserStore.deleteKeysOf(c, username));
    }
}
