package org.ankisync.core.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * The lock of one part of a user's data that every process honours: the
 * server (for each request) and the command line ({@code snapshot restore},
 * {@code backup}, ...) running beside it. It is an operating-system file lock
 * on one byte of {@code <user>/ankisyncd.lock} (byte 0 for the collection,
 * byte 1 for media, so a user's collection and media requests still run side
 * by side, as before). The kernel drops the lock when a process dies, so a
 * {@code kill -9} never leaves a user locked.
 *
 * <p>Why a file lock rather than a request to the running server: the
 * command line then works the same whether the server runs or not, needs no
 * admin credentials or port, and a servlet container's copy of the server
 * honours it too.
 *
 * <p>POSIX drops all of a process's locks on a file when any descriptor of it
 * is closed, so each folder has one channel per process. Within the process a
 * semaphore per part queues threads (the JVM refuses overlapping locks
 * instead of waiting).
 *
 * <p>A holder may keep the channel open after its lock ({@link
 * Held#closeKeepingFile}; up to {@link #MAX_KEPT_CHANNELS} folders): opening
 * and closing it on every request was 6% of the request threads' CPU in a
 * profile of many small syncs. The server keeps it exactly while it keeps the
 * user's collection connection (which holds that file system's files open for
 * writing anyway), so a server at rest after full syncs holds no file open
 * and its data volume can still be remounted read-only. Before a kept channel is
 * used again, the lock file at the path is checked to be still the file the
 * channel has open (its device and inode, one {@code stat}): a user folder
 * deleted or replaced in the meantime (the cluster moves a user's folder in
 * whole) gets a fresh channel, so this process and the command line never
 * lock two different files.
 */
public final class UserFolderLock {
    public static final String FILE_NAME = "ankisyncd.lock";

    /** Which part of the user's data a lock covers. */
    public enum Part {
        COLLECTION,
        MEDIA
    }

    /** How many folders may keep their channel open while unlocked (one file descriptor each). */
    static final int MAX_KEPT_CHANNELS = 256;

    private static final ConcurrentMap<Path, Folder> FOLDERS = new ConcurrentHashMap<>();
    /** Folders whose channel is open but unused, least recently released first. */
    private static final KeptChannels KEPT = new KeptChannels();

    private UserFolderLock() {}

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        /** Releases the lock; the lock file is closed unless another part is held. */
        @Override
        void close();

        /**
         * Releases the lock and keeps the lock file open for this folder's next lock,
         * until {@link #closeKeptFile} (or more than {@link #MAX_KEPT_CHANNELS} are kept).
         */
        void closeKeepingFile();
    }

    /** Closes the lock file kept open for {@code userFolder}, unless a part is held now. */
    public static void closeKeptFile(Path userFolder) {
        Folder folder = FOLDERS.get(userFolder.toAbsolutePath().normalize());
        if (folder != null) {
            folder.closeIfUnused();
            KEPT.remove(folder);
        }
    }

    /** Waits for the lock of {@code part} of the user whose folder is {@code userFolder}; creates the folder. */
    public static Held acquire(Path userFolder, Part part) {
        Folder folder = FOLDERS.computeIfAbsent(userFolder.toAbsolutePath().normalize(), Folder::new);
        Semaphore inProcess = folder.parts[part.ordinal()];
        inProcess.acquireUninterruptibly();
        return lockFile(userFolder, folder, inProcess, part, true);
    }

    /**
     * The lock of {@code part} if it is free at once, in this process and in
     * others; null if someone holds it. Creates the folder.
     */
    public static Held tryAcquire(Path userFolder, Part part) {
        Folder folder = FOLDERS.computeIfAbsent(userFolder.toAbsolutePath().normalize(), Folder::new);
        Semaphore inProcess = folder.parts[part.ordinal()];
        if (!inProcess.tryAcquire()) {
            return null;
        }
        return lockFile(userFolder, folder, inProcess, part, false);
    }

    /** Locks the part's byte of the lock file, the caller holding its semaphore; null if not waiting and taken. */
    private static Held lockFile(Path userFolder, Folder folder, Semaphore inProcess, Part part, boolean wait) {
        try {
            FileChannel channel = folder.open();
            FileLock lock;
            try {
                lock = wait ? lockUninterruptibly(channel, part.ordinal()) : channel.tryLock(part.ordinal(), 1, false);
            } catch (IOException | RuntimeException e) {
                folder.released(false);
                throw e;
            }
            if (lock == null) {
                folder.released(false);
                inProcess.release();
                return null;
            }
            return new Held() {
                @Override
                public void close() {
                    release(false);
                }

                @Override
                public void closeKeepingFile() {
                    release(true);
                }

                private void release(boolean keepFile) {
                    try {
                        lock.release();
                    } catch (IOException e) {
                        // Not kept then: the channel is closed once no part is held, which
                        // releases the lock too.
                        folder.doNotKeep();
                    } finally {
                        folder.released(keepFile);
                        inProcess.release();
                    }
                }
            };
        } catch (IOException e) {
            inProcess.release();
            throw new UncheckedIOException("cannot lock " + userFolder.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            inProcess.release();
            throw e;
        }
    }

    /**
     * Polls with {@code tryLock} instead of blocking in {@code lock}: an interrupt
     * during a blocking lock closes the channel, which would drop the other part's
     * lock held by another thread. The lock is nearly always free at once (threads
     * of this process queue on the semaphore first); only the command line makes
     * a request wait here.
     */
    private static FileLock lockUninterruptibly(FileChannel channel, int position) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            long sleepMillis = 1;
            while (true) {
                FileLock lock = channel.tryLock(position, 1, false);
                if (lock != null) {
                    return lock;
                }
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                sleepMillis = Math.min(50, sleepMillis * 2);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One user folder's channel and in-process queues. */
    private static final class Folder {
        private final Path file;
        private final Semaphore[] parts = {new Semaphore(1, true), new Semaphore(1, true)};
        private FileChannel channel;
        /**
         * The identity (device and inode) of the file {@link #channel} has open, or
         * null when it is not known for sure: the channel is then closed when unused.
         */
        private Object openFile;

        private int users;

        Folder(Path folder) {
            this.file = folder.resolve(FILE_NAME);
        }

        synchronized FileChannel open() throws IOException {
            if (users == 0 && channel != null && channel.isOpen() && !stillAtPath(openFile)) {
                closeChannel();
            }
            if (channel == null || !channel.isOpen()) {
                Object before = identity(file);
                try {
                    channel = openLockFile();
                } catch (NoSuchFileException e) {
                    // A new user. The folder is made only then: checking for it first cost a
                    // stat on every request, and createDirectories on an existing folder
                    // fails inside and builds an exception.
                    Files.createDirectories(file.getParent());
                    channel = openLockFile();
                }
                // The channel has the file that was at the path both before and after
                // the open; without a file before (a new user) that is not certain.
                Object after = identity(file);
                openFile = before != null && before.equals(after) ? after : null;
                users = 0;
            }
            users++;
            KEPT.remove(this);
            return channel;
        }

        private boolean stillAtPath(Object expected) throws IOException {
            return expected != null && expected.equals(identity(file));
        }

        /** The file's device and inode, or null when there is no file (or the system gives none). */
        private static Object identity(Path file) throws IOException {
            try {
                return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private FileChannel openLockFile() throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        /** The channel is closed instead of kept when no part is held any more. */
        synchronized void doNotKeep() {
            openFile = null;
        }

        /** After a part's lock is released: keeps the channel for the next lock when asked to, or closes it. */
        void released(boolean keepFile) {
            boolean kept;
            synchronized (this) {
                users--;
                if (users > 0) {
                    return;
                }
                users = 0;
                kept = keepFile && channel != null && openFile != null;
                if (!kept) {
                    closeChannel();
                }
            }
            if (kept) {
                Folder evicted = KEPT.add(this);
                if (evicted != null) {
                    evicted.closeIfUnused();
                }
            }
        }

        synchronized void closeIfUnused() {
            if (users <= 0) {
                users = 0;
                closeChannel();
            }
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing releases the locks either way
                }
            }
            channel = null;
            openFile = null;
        }
    }

    /**
     * The folders with an open, unused channel, in the order they were released,
     * bounded so that many users do not hold as many file descriptors. Taken
     * after a folder's monitor, never before it.
     */
    private static final class KeptChannels {
        private final LinkedHashSet<Folder> folders = new LinkedHashSet<>();

        /** Adds a folder; returns the least recently released one beyond the bound (removed), or null. */
        synchronized Folder add(Folder folder) {
            folders.remove(folder);
            folders.add(folder);
            if (folders.size() <= MAX_KEPT_CHANNELS) {
                return null;
            }
            Folder eldest = folders.iterator().next();
            folders.remove(eldest);
            return eldest;
        }

        synchronized void remove(Folder folder) {
            folders.remove(folder);
        }
    }
}
