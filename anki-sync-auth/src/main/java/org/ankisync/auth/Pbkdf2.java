package org.ankisync.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2 password hashes as PHC strings, with the JDK only (its {@link SecretKeyFactory}):
 * {@code $pbkdf2-sha256$i=600000,l=32$<salt>$<hash>}, salt and hash in unpadded
 * standard base64.
 *
 * <p>Reads exactly what the official server accepts for {@code PASSWORDS_HASHED}
 * (RustCrypto {@code pbkdf2} 0.12): identifiers {@code pbkdf2-sha256} and
 * {@code pbkdf2-sha512}, parameters {@code i} (rounds, default 600 000) and
 * {@code l} (output bytes, default 32); any other parameter or a version field
 * never verifies. New hashes are PBKDF2-HMAC-SHA256, 600 000 rounds, 16-byte
 * random salt, 32-byte output.
 */
public final class Pbkdf2 {
    public static final int DEFAULT_ROUNDS = 600_000;
    private static final int DEFAULT_LENGTH = 32;
    private static final int SALT_BYTES = 16;
    private static final int MAX_ROUNDS = 100_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private Pbkdf2() {}

    /** A new salted hash of {@code password} with the default parameters. */
    public static String hash(String password) {
        return hash(password, DEFAULT_ROUNDS);
    }

    /** A new salted hash with a chosen round count (tests and benchmarks). */
    public static String hash(String password, int rounds) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] derived = derive("HmacSHA256", password, salt, rounds, DEFAULT_LENGTH);
        return "$pbkdf2-sha256$i=" + rounds + ",l=" + DEFAULT_LENGTH + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(derived);
    }

    /** Checks a password against a PHC string in constant time; false for anything it cannot read. */
    public static boolean verify(String phc, String password) {
        Optional<Parsed> parsed = parse(phc);
        if (parsed.isEmpty() || password == null) {
            return false;
        }
        Parsed p = parsed.get();
        byte[] derived = derive(p.mac, password, p.salt, p.rounds, p.hash.length);
        return MessageDigest.isEqual(derived, p.hash);
    }

    /** Why a string is not a hash this class (and the official server) can verify; empty if it is. */
    public static Optional<String> problem(String phc) {
        try {
            parseOrThrow(phc);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether the string looks like a PHC string at all (starts with {@code $}). */
    public static boolean looksLikePhc(String s) {
        return s != null && s.startsWith("$");
    }

    private static Optional<Parsed> parse(String phc) {
        try {
            return Optional.of(parseOrThrow(phc));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Parsed parseOrThrow(String phc) {
        if (phc == null || !phc.startsWith("$")) {
            throw new IllegalArgumentException("not a PHC string (must start with $)");
        }
        String[] parts = phc.substring(1).split("\\$", -1);
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException("expected $id$params$salt$hash");
        }
        String mac = switch (parts[0]) {
            case "pbkdf2-sha256" -> "HmacSHA256";
            case "pbkdf2-sha512" -> "HmacSHA512";
            default ->
                throw new IllegalArgumentException(
                        "unsupported algorithm '" + parts[0] + "' (pbkdf2-sha256 or pbkdf2-sha512)");
        };
        int rounds = DEFAULT_ROUNDS;
        Integer length = null;
        if (parts.length == 4) {
            for (String param : parts[1].split(",", -1)) {
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bad parameter '" + param + "'");
                }
                String name = param.substring(0, eq);
                int value = positive(param.substring(eq + 1), name);
                switch (name) {
                    case "i" -> rounds = value;
                    case "l" -> length = value;
                    default -> throw new IllegalArgumentException("unsupported parameter '" + name + "'");
                }
            }
        }
        if (rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("too many rounds: " + rounds);
        }
        byte[] salt = b64(parts[parts.length - 2], "salt");
        byte[] hash = b64(parts[parts.length - 1], "hash");
        int expected = length == null ? DEFAULT_LENGTH : length;
        if (hash.length != expected || hash.length == 0 || hash.length > 1024) {
            throw new IllegalArgumentException("hash is " + hash.length + " bytes, expected " + expected);
        }
        String saltText = parts[parts.length - 2];
        if (saltText.length() < 4 || saltText.length() > 64) {
            throw new IllegalArgumentException("salt must be 4 to 64 base64 characters, is " + saltText.length());
        }
        return new Parsed(mac, rounds, salt, hash);
    }

    private static int positive(String s, String name) {
        try {
            int v = Integer.parseInt(s);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " must be a positive number, got '" + s + "'");
        }
    }

    private static byte[] b64(String s, String what) {
        if (s.isEmpty() || s.contains("=") || s.length() % 4 == 1) {
            throw new IllegalArgumentException(what + " is not unpadded base64");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not unpadded base64");
        }
    }

    /**
     * PBKDF2 (RFC 8018) through the JDK's own {@code PBKDF2WithHmacSHA256/512}. The JDK encodes
     * the password as UTF-8, as the official server does, and accepts an empty one.
     */
    static byte[] derive(String macName, String password, byte[] salt, int rounds, int length) {
        String algorithm = "PBKDF2With" + macName;
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, rounds, length * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private record Parsed(String mac, int rounds, byte[] salt, byte[] hash) {}
}
