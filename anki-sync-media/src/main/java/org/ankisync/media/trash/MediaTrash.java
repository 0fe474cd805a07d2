package org.ankisync.media.trash;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media files that a sync deleted, kept for a while instead of being removed:
 * {@code <user>/media-trash/<deletion time in ms>/<name>}. One folder per
 * deleting request, so the age of everything in it is its name, and purging is
 * deleting whole folders. Lives beside the user's other files, so moving a
 * user's folder moves the trash too. Callers hold the user's media lock.
 */
public final class MediaTrash {
    private static final Logger LOG = LoggerFactory.getLogger(MediaTrash.class);
    public static final String FOLDER = "media-trash";
    private static final Pattern BATCH = Pattern.compile("\\d{1,19}");

    private final Path folder;

    public MediaTrash(Path userFolder) {
        this.folder = userFolder.resolve(FOLDER);
    }

    /** One file in the trash. */
    public record Entry(String name, Instant deleted, long size, Path file) {
        public String line() {
            return String.format("%s  %d bytes  deleted %s", name, size, deleted);
        }
    }

    /** The folder that takes the files deleted at {@code now} (created if need be). */
    public Path batch(Instant now) throws IOException {
        return Files.createDirectories(folder.resolve(Long.toString(now.toEpochMilli())));
    }

    /** Every trashed file, newest deletion first (a name deleted twice appears twice). */
    public List<Entry> list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path batch : batches()) {
            Instant deleted =
                    Instant.ofEpochMilli(Long.parseLong(batch.getFileName().toString()));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(batch)) {
                for (Path file : files) {
                    if (Files.isRegularFile(file)) {
                        entries.add(new Entry(file.getFileName().toString(), deleted, Files.size(file), file));
                    }
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::deleted).reversed().thenComparing(Entry::name));
        return entries;
    }

    /** The most recently deleted copy of each name. */
    public Map<String, Entry> newestByName() throws IOException {
        Map<String, Entry> newest = new LinkedHashMap<>();
        for (Entry entry : list()) {
            newest.putIfAbsent(entry.name(), entry);
        }
        return newest;
    }

    public Optional<Entry> newest(String name) throws IOException {
        return Optional.ofNullable(newestByName().get(name));
    }

    /** Deletes what was deleted longer ago than {@code keep}; returns how many batches went. */
    public int purge(Instant now, Duration keep) throws IOException {
        int purged = 0;
        for (Path batch : batches()) {
            Instant deleted =
                    Instant.ofEpochMilli(Long.parseLong(batch.getFileName().toString()));
            if (deleted.plus(keep).isBefore(now)) {
                deleteTree(batch);
                purged++;
            }
        }
        if (purged > 0) {
            LOG.info("purged {} media trash batches older than {} days in {}", purged, keep.toDays(), folder);
        }
        return purged;
    }

    /** Removes an emptied batch folder (after files were restored from it). */
    public void removeIfEmpty(Path batch) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(batch)) {
            if (files.iterator().hasNext()) {
                return;
            }
        }
        Files.deleteIfExists(batch);
    }

    private List<Path> batches() throws IOException {
        List<Path> batches = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return batches;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
            for (Path batch : all) {
                if (Files.isDirectory(batch)
                        && BATCH.matcher(batch.getFileName().toString()).matches()) {
                    batches.add(batch);
                }
            }
        }
        return batches;
    }

    private static void deleteTree(Path batch) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(batch)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(batch);
    }
}
