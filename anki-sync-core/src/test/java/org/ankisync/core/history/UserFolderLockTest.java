package org.ankisync.core.history;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file lock is held exactly while a part is held, on the file that is at
 * the path then, even though the channel stays open between locks. The JVM
 * keeps one table of the file locks of the whole process, keyed by device
 * and inode: a {@code tryLock} of the same byte through another channel
 * throws while this process holds it, and succeeds once it is released (or
 * when it is held on another file).
 */
class UserFolderLockTest {
    @TempDir
    Path root;

    @Test
    void theByteIsLockedWhileHeldAndFreeAfterwards() throws IOException {
        Path user = root.resolve("alice");
        for (int round = 0; round < 3; round++) {
            try (UserFolderLock.Held held = UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION)) {
                assertTrue(lockedHere(user.resolve(UserFolderLock.FILE_NAME), 0), "round " + round);
                assertTrue(freeHere(user.resolve(UserFolderLock.FILE_NAME), 1), "the media byte stays free");
            }
            assertTrue(freeHere(user.resolve(UserFolderLock.FILE_NAME), 0), "released after round " + round);
        }
    }

    @Test
    void tryAcquireTakesOnlyAFreeLock() throws Exception {
        Path user = root.resolve("carol");
        Path lockFile = user.resolve(UserFolderLock.FILE_NAME);
        try (UserFolderLock.Held held = UserFolderLock.tryAcquire(user, UserFolderLock.Part.COLLECTION)) {
            assertNotNull(held, "free: taken");
            assertTrue(lockedHere(lockFile, 0));
            assertNull(
                    UserFolderLock.tryAcquire(user, UserFolderLock.Part.COLLECTION), "held in this process: not taken");
            try (UserFolderLock.Held media = UserFolderLock.tryAcquire(user, UserFolderLock.Part.MEDIA)) {
                assertNotNull(media, "the other part is free");
            }
        }
        assertTrue(freeHere(lockFile, 0), "released");

        // Held by another process (as the command line holds it): not taken, and nothing left held.
        Process other = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import fcntl, sys\n"
                                + "f = open(sys.argv[1], 'r+')\n"
                                + "fcntl.lockf(f, fcntl.LOCK_EX, 1, 0)\n"
                                + "print('locked', flush=True)\n"
                                + "sys.stdin.readline()\n",
                        lockFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), UTF_8));
            assertEquals("locked", out.readLine());
            assertNull(UserFolderLock.tryAcquire(user, UserFolderLock.Part.COLLECTION), "held elsewhere: not taken");
            assertNull(UserFolderLock.tryAcquire(user, UserFolderLock.Part.COLLECTION), "still not, and not stuck");
        } finally {
            other.getOutputStream().close();
            other.waitFor();
        }
        try (UserFolderLock.Held held = UserFolderLock.tryAcquire(user, UserFolderLock.Part.COLLECTION)) {
            assertNotNull(held, "free once the other process let go");
        }
    }

    @Test
    void aFolderMadeAgainIsLockedInItsNewFile() throws IOException {
        Path user = root.resolve("bob");
        // Two rounds, so that the channel of a known file is the one kept.
        UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION).closeKeepingFile();
        UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION).closeKeepingFile();
        assertEquals(1, openLockFilesBelow(user), "kept open");
        Path lockFile = user.resolve(UserFolderLock.FILE_NAME);
        Object before = Files.readAttributes(lockFile, "unix:ino").get("ino");

        // The folder deleted and made again (as the cluster's move of a user folder does).
        Files.delete(lockFile);
        Files.delete(user);
        Files.createDirectories(user);
        Files.writeString(lockFile, "");
        assertTrue(!before.equals(Files.readAttributes(lockFile, "unix:ino").get("ino")), "a new file");

        try (UserFolderLock.Held held = UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION)) {
            assertTrue(lockedHere(lockFile, 0), "the lock is on the file now at the path");
        }
        assertTrue(freeHere(lockFile, 0));
    }

    @Test
    void aDeletedFolderIsMadeAgain() throws IOException {
        Path user = root.resolve("carol");
        for (int i = 0; i < 2; i++) {
            UserFolderLock.acquire(user, UserFolderLock.Part.MEDIA).closeKeepingFile();
        }
        Files.delete(user.resolve(UserFolderLock.FILE_NAME));
        Files.delete(user);
        try (UserFolderLock.Held held = UserFolderLock.acquire(user, UserFolderLock.Part.MEDIA)) {
            assertTrue(Files.isRegularFile(user.resolve(UserFolderLock.FILE_NAME)));
            assertTrue(lockedHere(user.resolve(UserFolderLock.FILE_NAME), 1));
        }
    }

    @Test
    void keptChannelsAreBounded() throws IOException {
        int folders = UserFolderLock.MAX_KEPT_CHANNELS + 40;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < folders; i++) {
                Path user = root.resolve("many").resolve("u" + i);
                UserFolderLock.Held held = UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION);
                assertTrue(lockedHere(user.resolve(UserFolderLock.FILE_NAME), 0));
                held.closeKeepingFile();
            }
        }
        long open = openLockFilesBelow(root.resolve("many"));
        assertTrue(
                open <= UserFolderLock.MAX_KEPT_CHANNELS,
                open + " lock files open, more than " + UserFolderLock.MAX_KEPT_CHANNELS);
        assertTrue(open > 0, "channels are kept between locks");
    }

    @Test
    void theFileIsClosedUnlessKeptAndUntilClosedWhenKept() throws IOException {
        Path user = root.resolve("erin");
        try (UserFolderLock.Held held = UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION)) {
            assertEquals(1, openLockFilesBelow(user));
        }
        assertEquals(0, openLockFilesBelow(user), "closed with the lock");

        UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION).closeKeepingFile();
        UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION).closeKeepingFile();
        assertEquals(1, openLockFilesBelow(user), "kept");
        assertTrue(freeHere(user.resolve(UserFolderLock.FILE_NAME), 0), "but not locked");

        UserFolderLock.Held media = UserFolderLock.acquire(user, UserFolderLock.Part.MEDIA);
        UserFolderLock.closeKeptFile(user);
        assertEquals(1, openLockFilesBelow(user), "not closed under a held part");
        assertTrue(lockedHere(user.resolve(UserFolderLock.FILE_NAME), 1));
        media.close();
        assertEquals(0, openLockFilesBelow(user), "closed when the last part is released without keeping");

        UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION).closeKeepingFile();
        UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION).closeKeepingFile();
        UserFolderLock.closeKeptFile(user);
        assertEquals(0, openLockFilesBelow(user), "closeKeptFile closes it");
    }

    @Test
    void theCountOfOpenLockFilesIsSeen() throws IOException {
        Path user = root.resolve("seen").resolve("dave");
        try (UserFolderLock.Held held = UserFolderLock.acquire(user, UserFolderLock.Part.COLLECTION)) {
            assertEquals(1, openLockFilesBelow(root.resolve("seen")), "the check sees a held channel");
        }
    }

    /** True when this process holds byte {@code position} of the file (through the JVM's lock table). */
    private static boolean lockedHere(Path file, int position) throws IOException {
        try (FileChannel other = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThrows(OverlappingFileLockException.class, () -> other.tryLock(position, 1, false));
            return true;
        }
    }

    /** True when nobody holds byte {@code position}: it can be locked (and is unlocked again). */
    private static boolean freeHere(Path file, int position) throws IOException {
        try (FileChannel other = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = other.tryLock(position, 1, false);
            assertNotNull(lock);
            lock.release();
            return true;
        }
    }

    /** How many of this process's file descriptors are open on lock files below {@code folder}. */
    private static long openLockFilesBelow(Path folder) throws IOException {
        String prefix = folder.toRealPath().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString();
                        } catch (IOException e) {
                            return ""; // closed meanwhile (the listing's own descriptor)
                        }
                    })
                    .filter(target -> target.startsWith(prefix) && target.endsWith(UserFolderLock.FILE_NAME))
                    .count();
        }
    }
}
