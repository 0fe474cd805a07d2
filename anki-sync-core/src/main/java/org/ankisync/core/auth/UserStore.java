package org.ankisync.core.auth;

import java.util.List;

/**
 * Where accounts live. Implementations must be safe for concurrent use; the
 * server may call them from many request threads at once.
 */
public interface UserStore {

    /**
     * Checks a login. Implementations should take about the same time whether
     * or not the user exists, so that a timing probe cannot list accounts.
     */
    boolean verifyPassword(String username, String password);

    /** Whether the account exists (host keys of removed users stop working). */
    boolean exists(String username);

    /** All user names, sorted. */
    List<String> list();

    /** Adds an account; fails if it exists. Read-only stores throw {@link UnsupportedOperationException}. */
    default void add(String username, String password) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is read-only");
    }

    /** Removes an account; returns false if it did not exist. */
    default boolean remove(String username) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is read-only");
    }

    /** Changes a password; returns false if the user does not exist. */
    default boolean changePassword(String username, String newPassword) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is read-only");
    }
}
