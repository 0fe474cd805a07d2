package org.ankisync.media.zip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A read and validated upload zip: its changes in {@code _meta} order, with
 * the added files' bytes in temporary files. Closing deletes whatever temporary
 * files were not moved into the store.
 */
public final class StagedUpload implements AutoCloseable {
    private final List<UploadChange> changes;
    private final List<Path> temporaryFiles;

    StagedUpload(List<UploadChange> changes, List<Path> temporaryFiles) {
        this.changes = List.copyOf(changes);
        this.temporaryFiles = List.copyOf(temporaryFiles);
    }

    public List<UploadChange> changes() {
        return changes;
    }

    @Override
    public void close() {
        deleteQuietly(temporaryFiles);
    }

    static void deleteQuietly(Iterable<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort; a leftover temporary file holds no state clients can see
            }
        }
    }
}
