package org.ankisync.media.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one user's media files, by file name. The media database, not
 * the store, decides which files clients are told about; the store only keeps
 * content. Names reaching a store have passed
 * {@link org.ankisync.media.names.MediaFileNames}.
 *
 * <p>Implementations: {@link FileSystemMediaStore}, and {@code S3MediaStore}
 * ({@code anki-sync-s3}, plugged in through {@link MediaStoreProvider}); the
 * tests every store must pass are {@code MediaStoreContract} (this module's
 * test-jar). An object-storage store needs only these five operations (moving out to the trash has a default
 * made of them; {@link #flush} only if its writes are not durable when they
 * return).
 */
public interface MediaStore {

    /**
     * Makes every {@code put}, {@code putFile} and {@code delete} so far survive
     * a power cut. Called before the media database commits the change that
     * tells clients about them, so an acknowledged upload is on disk.
     */
    default void flush() throws IOException {}

    /**
     * Stores {@code content} under {@code name}, replacing any previous content
     * atomically: a reader sees the old bytes or the new ones, never a mix.
     */
    void put(String name, InputStream content) throws IOException;

    /**
     * Stores the bytes of a local file (an upload staged by the sync logic)
     * under {@code name}, atomically as {@link #put(String, InputStream)}.
     * The store may move the file instead of copying it; afterwards the caller
     * must not rely on {@code staged} existing.
     */
    default void putFile(String name, Path staged) throws IOException {
        try (InputStream in = Files.newInputStream(staged)) {
            put(name, in);
        }
        Files.deleteIfExists(staged);
    }

    /**
     * Opens a file for reading. The stream shows the content as it was when
     * opened, even if the file is replaced or deleted while it is read.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    InputStream open(String name) throws IOException;

    /**
     * Moves a file out of the store to {@code target} (the media trash),
     * atomically where the store can; returns false if it did not exist.
     */
    default boolean moveOut(String name, Path target) throws IOException {
        if (!exists(name)) {
            return false;
        }
        try (InputStream in = open(name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return delete(name);
    }

    /** Deletes a file; returns false if it did not exist. */
    boolean delete(String name) throws IOException;

    boolean exists(String name) throws IOException;

    /** Size in bytes, or -1 if there is no such file. */
    long size(String name) throws IOException;

    /** Creates the store of one user, given the user's folder. */
    @FunctionalInterface
    interface Factory {
        MediaStore forUser(String username, Path userFolder);
    }
}
