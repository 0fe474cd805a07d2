package org.ankisync.core.collection;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ankisync.core.auth.UserNames;

/** The registry of per-user collections below the collections path. */
public final class UserCollections {
    private final Path root;
    private final ConcurrentMap<String, UserCollection> byUser = new ConcurrentHashMap<>();

    public UserCollections(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The user's collection state; the user name must already be authenticated. */
    public UserCollection of(String username) {
        UserNames.requireValid(username);
        return byUser.computeIfAbsent(username, name -> {
            Path folder = root.resolve(name).normalize();
            if (!folder.getParent().equals(root)) {
                throw new IllegalArgumentException("user folder escapes the collections path: " + name);
            }
            return new UserCollection(name, folder);
        });
    }

    /** Rolls back every running session (used at shutdown). */
    public void abortAll() {
        for (UserCollection user : byUser.values()) {
            user.acquire();
            try {
                user.abortSession();
            } finally {
                user.release();
            }
        }
    }
}
