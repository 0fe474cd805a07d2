package org.ankisync.auth;

import java.util.Map;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ServerConfig;

/**
 * A pluggable user store, found with {@link java.util.ServiceLoader}: put a jar
 * with an implementation and a {@code META-INF/services/org.ankisync.auth.UserStoreProvider}
 * file naming it on the class path, and set {@code ANKISYNCD_AUTH_STORE} to its
 * {@link #name()}. Users defined by {@code SYNC_USERn} are still served beside
 * it, host keys still live in the account database, and removing a user or
 * changing a password through the server's command line revokes their keys.
 * See {@code examples/custom-user-store}.
 */
public interface UserStoreProvider {

    /** The value of {@code ANKISYNCD_AUTH_STORE} that selects this store (lower case; not sqlite, json or env). */
    String name();

    /**
     * Creates the store. {@code settings} are the environment merged over
     * {@code ankisyncd.conf}, so a store can read its own keys from either.
     * The store must be safe for concurrent use and should not cache anything
     * that the command line could change behind its back.
     */
    UserStore create(ServerConfig config, Map<String, String> settings);
}
