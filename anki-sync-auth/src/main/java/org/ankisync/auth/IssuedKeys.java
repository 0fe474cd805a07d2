package org.ankisync.auth;

import java.util.List;
import java.util.Optional;
import org.ankisync.core.auth.HostKeys;

/**
 * Host keys that are recorded one per login, so they can be listed and revoked
 * (the command line, the admin pages). {@link HostKeyStore} keeps them in the
 * SQLite account database; an {@link AccountStoreProvider} may keep them beside
 * its users (anki-sync-postgres).
 *
 * <p>Every implementation issues 256 random bits as 64 hex digits and keeps only
 * their SHA-256 ({@link HostKeyTokens}); a key issued while a user had a
 * credential fingerprint (users of {@code SYNC_USERn}) works only while the
 * fingerprint is unchanged.
 */
public interface IssuedKeys extends HostKeys {

    /** All key records, or those of one user, oldest first. */
    List<HostKeyRecord> list(Optional<String> user);

    /** Revokes one key by its id; false if there was none. */
    boolean revoke(long id);

    /** Revokes every key of a user; returns how many there were. */
    int revokeAll(String username);
}
