package org.ankisync.core.storage;

import java.nio.file.Path;
import org.ankisync.core.auth.UserNames;

/**
 * Where each user's files live: {@code <collections>/<user>/} (the collection,
 * {@code media/}, {@code media.db}, snapshots, the lock file). The collection
 * and the media registry both find a user's folder here, so the name is
 * checked and the path resolved the same way, once per user and registry.
 */
public final class UserFolders {
    private final Path root;

    public UserFolders(Path collectionsPath) {
        this.root = collectionsPath.toAbsolutePath().normalize();
    }

    /** The collections path, absolute and normalised. */
    public Path root() {
        return root;
    }

    /**
     * The folder of a user (valid name required; the user is authenticated or
     * named by the operator). Never outside the collections path.
     *
     * @throws IllegalArgumentException for an invalid name or one that escapes the collections path
     */
    public Path folder(String username) {
        UserNames.requireValid(username);
        Path folder = root.resolve(username).normalize();
        if (!root.equals(folder.getParent())) {
            throw new IllegalArgumentException("user folder escapes the collections path: " + username);
        }
        return folder;
    }
}
