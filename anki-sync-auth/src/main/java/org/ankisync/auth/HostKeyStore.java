package org.ankisync.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.auth.LoginContext;

/**
 * Random host keys, one per login, in the {@code host_keys} table of the
 * {@link AuthDatabase}: 256 random bits, given to the client as 64 hex digits
 * and stored only as their SHA-256. Each record keeps the client version, the
 * first and last use and address; records survive restarts until revoked.
 *
 * <p>A key may also carry a <em>credential</em> fingerprint (used for users
 * defined by {@code SYNC_USERn}): it then works only while the user's current
 * fingerprint is the same, so changing such a password logs the devices out.
 *
 * <p>Keys once found are remembered ({@link ResolvedKeyCache}) until the
 * database changes in any way, checked by one cheap query per lookup, so a
 * revocation from any process takes effect on the key's next request.
 */
public final class HostKeyStore implements IssuedKeys {

    private final AuthDatabase db;
    private final Clock clock;
    private final Function<String, Optional<String>> credentials;
    /** Keys already looked up; guarded by the database's lock. */
    private final ResolvedKeyCache cache = new ResolvedKeyCache();

    /**
     * @param credentials the current credential fingerprint of a user, or empty
     *                    for users whose keys are revoked explicitly instead
     */
    public HostKeyStore(AuthDatabase db, Clock clock, Function<String, Optional<String>> credentials) {
        this.db = db;
        this.clock = clock;
        this.credentials = credentials;
    }

    @Override
    public String issue(String username, LoginContext context) {
        String key = HostKeyTokens.newKey();
        long now = clock.millis();
        String credential = credentials.apply(username).orElse(null);
        db.with(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO host_keys (key_sha256, user, credential,"
                    + " client_version, created_at, first_address, last_used_at, last_address)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, sha256(key));
                s.setString(2, username);
                s.setString(3, credential);
                s.setString(4, cut(context.clientVersion()));
                s.setLong(5, now);
                s.setString(6, cut(context.remoteAddress()));
                s.setLong(7, now);
                s.setString(8, cut(context.remoteAddress()));
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
        long now = clock.millis();
        return db.with(c -> {
            cache.validate(db.changeMark(c));
            ResolvedKeyCache.Entry found = cache.get(hostKey);
            if (found == null) {
                found = lookUp(c, hostKey);
                if (found == null) {
                    return Optional.empty();
                }
                cache.put(hostKey, found);
            }
            if (!Objects.equals(found.credential, credentials.apply(found.user).orElse(null))) {
                return Optional.empty();
            }
            String address = context == null ? null : cut(context.remoteAddress());
            boolean moved = address != null && !address.equals(found.lastAddress);
            if (moved || now - found.lastUsed >= HostKeyTokens.TOUCH_INTERVAL.toMillis()) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE host_keys SET last_used_at = ?, last_address = coalesce(?, last_address) WHERE id = ?")) {
                    s.setLong(1, now);
                    s.setString(2, address);
                    s.setLong(3, found.id);
                    s.executeUpdate();
                }
                found.lastUsed = now;
                found.lastAddress = address != null ? address : found.lastAddress;
                cache.acceptOwnChange(db.changeMark(c).ownChanges());
            }
            return Optional.of(found.user);
        });
    }

    /** The record of a key, by its SHA-256; null if there is none. */
    private static ResolvedKeyCache.Entry lookUp(Connection c, String hostKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, user, credential, last_used_at, last_address" + " FROM host_keys WHERE key_sha256 = ?")) {
            s.setString(1, sha256(hostKey));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? new ResolvedKeyCache.Entry(
                                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5))
                        : null;
            }
        }
    }

    @Override
    public List<HostKeyRecord> list(Optional<String> user) {
        return db.with(c -> {
            String sql = "SELECT id, user, client_version, created_at, first_address, last_used_at, last_address"
                    + " FROM host_keys" + (user.isPresent() ? " WHERE user = ?" : "") + " ORDER BY id";
            List<HostKeyRecord> records = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (user.isPresent()) {
                    s.setString(1, user.get());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        records.add(new HostKeyRecord(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4)),
                                rs.getString(5),
                                Instant.ofEpochMilli(rs.getLong(6)),
                                rs.getString(7)));
                    }
                }
            }
            return records;
        });
    }

    @Override
    public boolean revoke(long id) {
        return db.with(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM host_keys WHERE id = ?")) {
                s.setLong(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int revokeAll(String username) {
        return db.with(c -> deleteKeysOf(c, username));
    }

    static int deleteKeysOf(Connection c, String username) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM host_keys WHERE user = ?")) {
            s.setString(1, username);
            return s.executeUpdate();
        }
    }

    private static String sha256(String key) {
        return HostKeyTokens.sha256(key);
    }

    private static String cut(String s) {
        return HostKeyTokens.cut(s);
    }
}
