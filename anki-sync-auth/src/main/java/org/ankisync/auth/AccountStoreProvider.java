package org.ankisync.auth;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.config.ServerConfig;

/**
 * A pluggable store of users <em>and</em> host keys, found with
 * {@link java.util.ServiceLoader} like {@link UserStoreProvider} and selected by
 * the same setting ({@code ANKISYNCD_AUTH_STORE} equal to {@link #name()}). Unlike
 * a {@link UserStoreProvider}, whose host keys stay in the local account
 * database, everything lives in the provider's store: what several server nodes
 * sharing one database need. {@code anki-sync-postgres} provides {@code postgres}.
 */
public interface AccountStoreProvider {

    /** The value of {@code ANKISYNCD_AUTH_STORE} that selects this store (lower case; not sqlite, json or env). */
    String name();

    /** Opens the store; a bad setting is a {@link org.ankisync.core.config.ConfigException}. */
    AccountStore open(Context context);

    /**
     * What a store is opened with.
     *
     * @param config      the server's configuration
     * @param settings    the environment merged over {@code ankisyncd.conf}, for the store's own keys
     * @param clock       the time source of key records and password changes
     * @param hashing     how new passwords are hashed
     * @param credentials the current credential fingerprint of a user ({@code SYNC_USERn}), or empty;
     *                    see {@link IssuedKeys}
     */
    record Context(
            ServerConfig config,
            Map<String, String> settings,
            Clock clock,
            PasswordPolicy hashing,
            Function<String, Optional<String>> credentials) {}
}
