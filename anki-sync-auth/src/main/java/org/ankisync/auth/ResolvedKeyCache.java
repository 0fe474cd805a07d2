package org.ankisync.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host keys already found in the account database, so that a request with a
 * known key costs no hashing and no query. Valid only while the database's
 * {@link AuthDatabase.ChangeMark} stays the same: any change (a revocation by
 * the admin pages here or by the command line in another process, a new key, a
 * password change) empties it, so a revoked key is refused on its next use.
 * Not thread-safe: used under the account database's lock.
 */
final class ResolvedKeyCache {
    /** Enough for every device of a large server; beyond it the least recently used go. */
    static final int CAPACITY = 4096;

    /** What a lookup found: the record's id, user and credential, and the last use as written. */
    static final class Entry {
        final long id;
        final String user;
        final String credential;
        long lastUsed;
        String lastAddress;

        Entry(long id, String user, String credential, long lastUsed, String lastAddress) {
            this.id = id;
            this.user = user;
            this.credential = credential;
            this.lastUsed = lastUsed;
            this.lastAddress = lastAddress;
        }
    }

    private final Map<String, Entry> byKey = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };
    private AuthDatabase.ChangeMark mark;

    /** Forgets everything if the database changed since the entries were read. */
    void validate(AuthDatabase.ChangeMark current) {
        if (!current.equals(mark)) {
            byKey.clear();
            mark = current;
        }
    }

    /**
     * After a change of our own that keeps the entries true (a last-use update):
     * only this connection's count moved, so a commit by another process in the
     * meantime still empties the cache at the next {@link #validate}.
     */
    void acceptOwnChange(long ownChanges) {
        if (mark != null) {
            mark = new AuthDatabase.ChangeMark(mark.othersCommits(), ownChanges);
        }
    }

    Entry get(String hostKey) {
        return byKey.get(hostKey);
    }

    void put(String hostKey, Entry entry) {
        byKey.put(hostKey, entry);
    }
}
