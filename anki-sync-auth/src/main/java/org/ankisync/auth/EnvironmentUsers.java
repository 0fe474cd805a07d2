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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users defined the official server's way: {@code SYNC_USER1=user:pass},
 * {@code SYNC_USER2=...}, read in order up to the first missing index. With
 * {@code PASSWORDS_HASHED} set (to anything, even empty) the part after the
 * first {@code :} is a PBKDF2 PHC string, as the official server reads it
 * (see {@link Pbkdf2}).
 *
 * <p>The official server's host key, the lowercase hex SHA-1 of the whole
 * variable value, is accepted by {@link #resolve}, so clients that switch from
 * the official server to this one keep their login. Read-only.
 */
public final class EnvironmentUsers implements UserStore, HostKeys {
    public static final String PREFIX = "SYNC_USER";
    public static final String PASSWORDS_HASHED = "PASSWORDS_HASHED";
    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentUsers.class);

    /** user name -> the whole variable value ({@code user:password} or {@code user:$pbkdf2...}). */
    private final Map<String, String> entries;

    private final Map<String, String> userByKey;
    private final Map<String, String> variableByUser;
    /** user name -> credential fingerprint, computed once: it is checked on every request with a host key. */
    private final Map<String, String> credentialByUser;

    private final boolean hashed;
    /** Checked for unknown user names, so that they cost as much as known ones. */
    private final String decoyHash;

    private EnvironmentUsers(Map<String, String> entries, Map<String, String> variables, boolean hashed) {
        this.entries = Collections.unmodifiableMap(entries);
        this.variableByUser = Collections.unmodifiableMap(variables);
        this.hashed = hashed;
        Map<String, String> keys = new LinkedHashMap<>();
        entries.forEach((user, value) -> keys.put(sha1Hex(value), user));
        this.userByKey = Collections.unmodifiableMap(keys);
        Map<String, String> credentials = new LinkedHashMap<>();
        entries.forEach((user, value) ->
                credentials.put(user, "env:" + HexFormat.of().formatHex(sha256("ankisyncd SYNC_USER\0" + value))));
        this.credentialByUser = Collections.unmodifiableMap(credentials);
        this.decoyHash = hashed && !entries.isEmpty()
                ? password(entries.values().iterator().next())
                : null;
    }

    /** Reads {@code SYNC_USER1}, {@code SYNC_USER2}, ... and {@code PASSWORDS_HASHED} from the given environment. */
    public static EnvironmentUsers fromEnvironment(Map<String, String> environment) {
        boolean hashed = environment.containsKey(PASSWORDS_HASHED);
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, String> variables = new LinkedHashMap<>();
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
            variables.put(user, PREFIX + i);
            if (hashed) {
                String phc = value.substring(colon + 1);
                // As on the official server, a hash that cannot be verified only stops that user logging in.
                Pbkdf2.problem(phc)
                        .ifPresent(problem -> LOG.warn(
                                "{} ({}): the password hash cannot be verified, so this user cannot log in: {}",
                                PREFIX + variables.size(),
                                user,
                                problem));
            }
        }
        return new EnvironmentUsers(entries, variables, hashed);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The variable that defines a user ({@code SYNC_USER2}), if any. */
    public Optional<String> variableOf(String username) {
        return Optional.ofNullable(variableByUser.get(username));
    }

    @Override
    public boolean verifyPassword(String username, String password) {
        String stored = entries.get(username);
        if (hashed) {
            if (stored == null) {
                if (decoyHash != null) {
                    Pbkdf2.verify(decoyHash, password);
                }
                return false;
            }
            return Pbkdf2.verify(password(stored), password);
        }
        // Compare digests, so that the time taken does not depend on where the strings differ or their lengths.
        byte[] expected = sha256(stored == null ? "\0no user" : stored);
        byte[] given = sha256(username + ":" + password);
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

    /** The official server's key for this user (what {@link #resolve} accepts). */
    @Override
    public String issue(String username, LoginContext context) {
        String value = entries.get(username);
        if (value == null) {
            throw new IllegalArgumentException("unknown user " + username);
        }
        return sha1Hex(value);
    }

    /** The user whose official-server key this is. */
    @Override
    public Optional<String> resolve(String hostKey) {
        return Optional.ofNullable(userByKey.get(hostKey));
    }

    /**
     * A fingerprint of the user's current variable value, or empty if the user
     * is not defined here. Keys issued to such a user remember it and stop
     * working when the variable changes (a new password).
     */
    public Optional<String> credential(String username) {
        return Optional.ofNullable(credentialByUser.get(username));
    }

    private static String password(String value) {
        return value.substring(value.indexOf(':') + 1);
    }

    static String sha1Hex(String value) {
        return HexFormat.of().formatHex(digest("SHA-1", value));
    }

    private static byte[] sha256(String value) {
        return digest("SHA-256", value);
    }

    private static byte[] digest(String algorithm, String value) {
        try {
            return MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
