package org.ankisync.core.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.stream.Stream;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.NewCollectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCollectionsTest {
    @TempDir
    Path root;

    @Test
    void temporaryFilesLeftByACrashAreRemovedWhenTheUserIsFirstSeen() throws Exception {
        Path folder = Files.createDirectories(root.resolve("alice"));
        Path upload = Files.writeString(folder.resolve("upload-123.anki2.tmp"), "half");
        Path uploadWal = Files.writeString(folder.resolve("upload-123.anki2.tmp-wal"), "x");
        Path download = Files.writeString(folder.resolve("download-9.anki2.tmp"), "x");
        Path created = Files.writeString(folder.resolve("new-collection77.tmp"), "x");
        Path collection = Files.writeString(folder.resolve("collection.anki2"), "keep");
        Path media = Files.writeString(folder.resolve("media.db"), "keep");

        UserCollection user = new UserCollections(root).of("alice");

        assertEquals(folder, user.folder());
        for (Path gone : new Path[] {upload, uploadWal, download, created}) {
            assertFalse(Files.exists(gone), gone.toString());
        }
        assertTrue(Files.exists(collection) && Files.exists(media));
    }

    @Test
    void namesThatWouldEscapeTheCollectionsPathAreRefused() {
        UserCollections users = new UserCollections(root);
        for (String name : new String[] {"..", "../x", "a/b", "", ".hidden"}) {
            assertThrows(IllegalArgumentException.class, () -> users.of(name), name);
        }
    }

    @Test
    void anIdleConnectionKeepsASmallPageCacheAndGetsItsFullCacheBack() throws Exception {
        UserCollection user = new UserCollections(root).of("bob");
        user.acquire();
        try {
            user.ensureExists(new NewCollectionFactory(Clock.systemUTC()));
            Connection first = user.open();
            assertEquals(-CollectionDatabase.CACHE_KIB, cacheSize(first), "a new connection");
            user.giveBack(first);
            assertTrue(user.hasIdle());
            assertEquals(-CollectionDatabase.IDLE_CACHE_KIB, cacheSize(first), "kept idle");

            Connection again = user.open();
            assertSame(first, again, "the kept connection is reused");
            assertEquals(-CollectionDatabase.CACHE_KIB, cacheSize(again), "in use again");
            user.giveBack(again);
        } finally {
            user.closeIdle();
            user.release();
        }
    }

    @Test
    void idleConnectionsAreCountedAndBounded() throws Exception {
        UserCollections users = new UserCollections(root);
        NewCollectionFactory factory = new NewCollectionFactory(Clock.systemUTC());
        int many = UserCollections.MAX_IDLE_CONNECTIONS + 6;
        for (int i = 0; i < many; i++) {
            UserCollection user = users.of("u" + i);
            user.acquire();
            try {
                user.ensureExists(factory);
                user.giveBack(user.open());
            } finally {
                user.release();
            }
            assertEquals(Math.min(i + 1, UserCollections.MAX_IDLE_CONNECTIONS), users.idleConnections(), "after " + i);
        }
        assertEquals(UserCollections.MAX_IDLE_CONNECTIONS, idleUsers(users, many));
        assertFalse(users.of("u0").hasIdle(), "the longest idle was closed");
        assertTrue(users.of("u" + (many - 1)).hasIdle());

        // Taking a kept connection and giving it back counts it once.
        UserCollection last = users.of("u" + (many - 1));
        last.acquire();
        try {
            Connection taken = last.open();
            assertEquals(UserCollections.MAX_IDLE_CONNECTIONS - 1, users.idleConnections());
            last.giveBack(taken);
        } finally {
            last.release();
        }
        assertEquals(UserCollections.MAX_IDLE_CONNECTIONS, users.idleConnections());

        users.abortAll();
        assertEquals(0, users.idleConnections());
        assertEquals(0, idleUsers(users, many));
    }

    private static int idleUsers(UserCollections users, int count) {
        int idle = 0;
        for (int i = 0; i < count; i++) {
            if (users.of("u" + i).hasIdle()) {
                idle++;
            }
        }
        return idle;
    }

    @Test
    void theLockFileStaysOpenExactlyWhileAConnectionIsKept() throws Exception {
        UserCollection user = new UserCollections(root).of("carl");
        for (int round = 0; round < 2; round++) {
            user.acquire();
            try {
                user.ensureExists(new NewCollectionFactory(Clock.systemUTC()));
                user.giveBack(user.open());
            } finally {
                user.release();
            }
        }
        assertEquals(1, openLockFiles(user.folder()), "kept with the connection");

        user.acquire();
        try {
            user.closeIdle();
        } finally {
            user.release();
        }
        assertEquals(0, openLockFiles(user.folder()), "closed with it");

        // The server at rest after a full upload keeps no connection, and so no file open.
        user.acquire();
        try {
            user.open().close();
        } finally {
            user.release();
        }
        assertEquals(0, openLockFiles(user.folder()));
    }

    /** How many of this process's file descriptors are open on the folder's lock file. */
    private static long openLockFiles(Path folder) throws IOException {
        Path lockFile = folder.resolve(UserFolderLock.FILE_NAME).toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).equals(lockFile);
                        } catch (IOException e) {
                            return false; // closed meanwhile (the listing's own descriptor)
                        }
                    })
                    .count();
        }
    }

    private static long cacheSize(Connection connection) throws Exception {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("pragma cache_size")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
