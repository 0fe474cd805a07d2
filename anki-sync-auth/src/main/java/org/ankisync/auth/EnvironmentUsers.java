package org.ankisync.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.auth.UserStore;

/**
 * Users defined the official server's way: {@code SYNC_USER1=user:pass},
 * {@code SYNC_USER2=...}, read in order up to the first missing index.
 *
 * <p>The host key is the official server's: the lowercase hex SHA-1 of the whole
 * variable value. Clients that switch from the official server to this one
 * therefore keep their login.
 */
public final class EnvironmentUsers implements UserStore, HostKeys {
    private static final String PREFIX = "SYNC_USER";

    /** user name -> the whole variable value ({@code user:password}). */
    private final Map<String, String> entries;
    private final Map<String, String> userByKey;

    private EnvironmentUsers(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(entries);
        Map<String, String> keys = new LinkedHashMap<>();
        entries.forEach((user, value) -> keys.put(sha1Hex(value), user));
        this.userByKey = Collections.unmodifiableMap(keys);
    }

    /** Reads {@code SYNC_USER1}, {@code SYNC_USER2}, ... from the given environment. */
    public static EnvironmentUsers fromEnvironment(Map<String, String> environment) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 1; environment.containsKey(PREFIX + i); i++) {
            String value = environment.get(PREFIX + i);
            int colon = value.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(PREFIX + i + " should be in 'username:password' format.");
            }
            String user = value.substring(0, colon);
            if (!UserNames.isValid(user)) {
                throw new IllegalArgumentException(PREFIX + i + ": invalid user name '" + user + "'");
            }
            if (entries.putIfAbsent(user, value) != null) {
                throw new IllegalArgumentException(PREFIX + i + ": user '" + user + "' is defined twice");
            }
        }
        return new EnvironmentUsers(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        String stored = entries.get(username);
        byte[] expected = (stored == null ? "\0" : stored).getBytes(StandardCharsets.UTF_8);
        byte[] given = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given) && stored != null;
    }

    @Override
    public boolean exists(String username) {
        return entries.containsKey(username);
    }

    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>(entries.keySet());
        Collections.sort(names);
        return names;
    }

    @Override
    public String issue(String username, LoginContext context) {
        String value = entries.get(username);
        if (value == null) {
            throw new IllegalArgumentException("unknown user " + username);
        }
        return sha1Hex(value);
    }

    @Override
    public Optional<String> resolve(String hostKey) {
        return Optional.ofNullable(userByKey.get(hostKey));
    }

    static String sha1Hex(String value) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
