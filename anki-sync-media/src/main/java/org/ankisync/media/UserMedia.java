package org.ankisync.media;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.ankisync.media.db.ServerMediaDatabase;
import org.ankisync.media.store.MediaStore;

/**
 * One user's media: folder, database file, store, and the lock that serialises
 * the user's media requests (different users never share a lock).
 */
final class UserMedia {
    private final String username;
    private final Path folder;
    private final MediaStore store;
    private final ReentrantLock lock = new ReentrantLock(true);

    UserMedia(String username, Path folder, MediaStore store) {
        this.username = username;
        this.folder = folder;
        this.store = store;
    }

    String username() {
        return username;
    }

    Path folder() {
        return folder;
    }

    Path databaseFile() {
        return folder.resolve(ServerMediaDatabase.FILE_NAME);
    }

    MediaStore store() {
        return store;
    }

    ReentrantLock lock() {
        return lock;
    }
}
