package org.ankisync.media.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Media files as plain files in one flat folder ({@code <user>/media/}), the
 * layout of the official server. Replacing writes a temporary file beside the
 * target and renames it over, so readers never see half a file.
 */
public final class FileSystemMediaStore implements MediaStore {
    /** The usual layout: {@code <user folder>/media/}. */
    public static final Factory FACTORY =
            (username, userFolder) -> new FileSystemMediaStore(userFolder.resolve("media"));

    private final Path folder;

    public FileSystemMediaStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** The path of a file; refuses anything that is not a plain name directly inside the folder. */
    Path pathOf(String name) {
        if (name == null
                || name.isEmpty()
                || name.indexOf('\0') >= 0
                || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0
                || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("not a media file name: " + name);
        }
        Path path = folder.resolve(name).normalize();
        if (!folder.equals(path.getParent())) {
            throw new IllegalArgumentException("media file name escapes the media folder: " + name);
        }
        return path;
    }

    @Override
    public void put(String name, InputStream content) throws IOException {
        Path target = pathOf(name);
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder.getParent() == null ? folder : folder.getParent(), ".media-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.transferTo(Channels.newOutputStream(channel));
                channel.force(true);
            }
            replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void putFile(String name, Path staged) throws IOException {
        Path target = pathOf(name);
        Files.createDirectories(folder);
        replace(staged, target);
    }

    private static void replace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // a staged file on another file system: copy beside the target, then rename
            Path temp = Files.createTempFile(target.getParent(), ".media-", ".tmp");
            try {
                Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(source);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The files were forced when written; forcing the folder makes their renames and removals durable. */
    @Override
    public void flush() throws IOException {
        if (Files.isDirectory(folder)) {
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(pathOf(name));
    }

    @Override
    public boolean delete(String name) throws IOException {
        return Files.deleteIfExists(pathOf(name));
    }

    @Override
    public boolean moveOut(String name, Path target) throws IOException {
        try {
            Files.move(pathOf(name), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            return MediaStore.super.moveOut(name, target);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(pathOf(name));
    }

    @Override
    public long size(String name) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(pathOf(name), BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes.size() : -1;
        } catch (NoSuchFileException e) {
            return -1;
        }
    }
}
