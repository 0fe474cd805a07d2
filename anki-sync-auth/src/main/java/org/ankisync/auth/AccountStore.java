package org.ankisync.auth;

import org.ankisync.core.auth.UserStore;

/**
 * Users and their host keys kept together, so that removing a user or changing a
 * password revokes the user's keys in the same transaction: the SQLite account
 * database ({@link SqliteAccountStore}) or one that an {@link AccountStoreProvider}
 * opens (PostgreSQL, shared by several server nodes).
 */
public interface AccountStore extends AutoCloseable {

    UserStore users();

    IssuedKeys keys();

    /** Releases the store's connections. */
    @Override
    void close();
}
