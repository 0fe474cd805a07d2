package org.ankisync.core.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A shared lock on {@code <collections>/ankisyncd-server.lock} that a running
 * server holds, so that {@code restore-backup} (which replaces files wholesale)
 * can refuse to run beside one. Shared, so that two servers on one folder are
 * not refused here (the per-user locks keep them apart).
 */
public final class ServerRunLock implements AutoCloseable {
    public static final String FILE_NAME = "ankisyncd-server.lock";
    private final FileChannel channel;

    private ServerRunLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Held by the server while it runs. */
    public static ServerRunLock hold(Path collectionsPath) {
        try {
            Files.createDirectories(collectionsPath);
            // Read-only: a shared lock needs no more, and a file held open for writing for the
            // process's lifetime would keep the folder's file system from being remounted.
            Path file = collectionsPath.resolve(FILE_NAME);
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process made it
                }
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.lock(0, 1, true);
            } catch (OverlappingFileLockException e) {
                // another server in this process holds it already, which serves the same purpose
            }
            return new ServerRunLock(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + collectionsPath.resolve(FILE_NAME), e);
        }
    }

    /** Exclusive, failing at once if a server runs on the folder; for restore-backup. */
    public static ServerRunLock exclusive(Path collectionsPath) {
        try {
            Files.createDirectories(collectionsPath);
            FileChannel channel = open(collectionsPath);
            FileLock lock;
            try {
                lock = channel.tryLock(0, 1, false);
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("a server is running on " + collectionsPath + ": stop it first");
            }
            return new ServerRunLock(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + collectionsPath.resolve(FILE_NAME), e);
        }
    }

    private static FileChannel open(Path collectionsPath) throws IOException {
        return FileChannel.open(
                collectionsPath.resolve(FILE_NAME),
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock either way
        }
    }
}
