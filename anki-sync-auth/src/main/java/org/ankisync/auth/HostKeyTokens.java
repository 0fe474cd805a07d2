package org.ankisync.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The rules every {@link IssuedKeys} store shares, so keys behave the same
 * whichever database keeps them: how a key is made, how it is stored, which
 * texts are even looked up, how long recorded texts may be, and how often a use
 * is written.
 */
public final class HostKeyTokens {
    /** Last use is written at most this often per key (unless the address changes). */
    public static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_TEXT = 200;
    private static final int MAX_KEY_LENGTH = 256;

    private HostKeyTokens() {}

    /** A new key: 256 random bits as 64 hex digits. */
    public static String newKey() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** What is stored for a key: its SHA-256 in hex (the key itself never is). */
    public static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a text a client sent could be a key at all (others are refused without a query). */
    public static boolean isPlausible(String hostKey) {
        return hostKey != null && !hostKey.isEmpty() && hostKey.length() <= MAX_KEY_LENGTH;
    }

    /** A client-supplied text (version, address) cut to the length a record keeps. */
    public static String cut(String s) {
        if (s == null) {
            return null;
        }
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }
}
