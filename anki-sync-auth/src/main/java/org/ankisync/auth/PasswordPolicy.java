package org.ankisync.auth;

import java.util.Optional;

/**
 * How stores hash new passwords: PBKDF2-HMAC-SHA256 with a random salt and a
 * round count (600 000 by default). Also checks that a new password is usable.
 */
public final class PasswordPolicy {
    public static final int MAX_LENGTH = 1024;

    private final int rounds;
    private volatile String decoy;

    public PasswordPolicy(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive");
        }
        this.rounds = rounds;
    }

    public static PasswordPolicy standard() {
        return new PasswordPolicy(Pbkdf2.DEFAULT_ROUNDS);
    }

    /** Hashes a new password; throws {@link IllegalArgumentException} if it is empty or too long. */
    public String hash(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        if (password.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the password is longer than " + MAX_LENGTH + " characters");
        }
        return Pbkdf2.hash(password, rounds);
    }

    /**
     * A hash of the same cost as real ones, checked for unknown user names, so a
     * login takes as long whether or not the name exists.
     */
    public String decoy() {
        if (decoy == null) {
            decoy = Pbkdf2.hash("decoy password for unknown users", rounds);
        }
        return decoy;
    }

    /**
     * Checks {@code password} against a user's stored PHC hash, or against the
     * decoy when the user does not exist (empty {@code stored}), so unknown names
     * cost one hash too and timing does not tell which names exist.
     */
    public boolean verify(Optional<String> stored, String password) {
        boolean ok = Pbkdf2.verify(stored.orElseGet(this::decoy), password);
        return ok && stored.isPresent();
    }
}
