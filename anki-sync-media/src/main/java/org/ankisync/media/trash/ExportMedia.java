package org.ankisync.media.trash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ankisync.core.history.ColpkgWriter;
import org.ankisync.media.store.MediaStore;

/**
 * The media files of a snapshot's {@code .colpkg}, for the command line and the admin
 * pages alike: the user's current media, plus the newest copy of each name in the media
 * trash, since files the snapshot's notes used may have been deleted since it was taken.
 */
public final class ExportMedia {
    /** Where media of a store without local files are copied for an export, inside the user's folder. */
    public static final String STAGING_PREFIX = ".export-media-";

    private ExportMedia() {}

    /** The media of a user whose files are in {@code <user>/media/} (the file system store). */
    public static List<Path> of(Path userFolder) {
        try {
            List<Path> media = new ArrayList<>(ColpkgWriter.mediaFiles(userFolder.resolve("media")));
            media.addAll(newestTrashed(userFolder));
            return media;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The media of a user whose files are in another store (S3): each of {@code names}
     * copied from the store into a temporary folder in the user's folder (streamed, one at
     * a time), plus the trash. Closing the result deletes the copies.
     */
    public static Staged stage(Path userFolder, MediaStore store, List<String> names) throws IOException {
        Path staging = Files.createTempDirectory(userFolder, STAGING_PREFIX);
        Staged staged = new Staged(staging, new ArrayList<>());
        try {
            for (String name : names) {
                Path copy = staging.resolve(name);
                try (InputStream in = store.open(name)) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                staged.files.add(copy);
            }
            staged.files.addAll(newestTrashed(userFolder));
            return staged;
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    /** Media files for one export; {@link #close} removes what was copied for it. */
    public static final class Staged implements AutoCloseable {
        private final Path staging;
        private final List<Path> files;

        private Staged(Path staging, List<Path> files) {
            this.staging = staging;
            this.files = files;
        }

        /** Nothing to remove afterwards: the files are the store's own. */
        public static Staged inPlace(List<Path> files) {
            return new Staged(null, new ArrayList<>(files));
        }

        public List<Path> files() {
            return List.copyOf(files);
        }

        @Override
        public void close() throws IOException {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    /** Removes a staging folder, also one a crashed export left behind. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static List<Path> newestTrashed(Path userFolder) throws IOException {
        List<Path> trashed = new ArrayList<>();
        for (MediaTrash.Entry entry : new MediaTrash(userFolder).newestByName().values()) {
            trashed.add(entry.file());
        }
        return trashed;
    }
}
