package org.ankisync.core.collection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.ankisync.core.framing.LimitedInputStream;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.Schema11Downgrade;
import org.ankisync.core.storage.UploadCheck;
import org.ankisync.core.storage.schema18.ColTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of full upload and download ({@link FullUpload}, {@link FullDownload}):
 * whole collection files, streamed to and from disk, checked before they
 * replace anything, replaced atomically.
 */
final class FullSync {
    private static final Logger LOG = LoggerFactory.getLogger(FullSync.class);
    static final String OK = "OK";
    static final String TOO_LARGE = "collection exceeds size limit";
    static final String CORRUPT = "Your upload was corrupt. Please use Check Database, or restore from backup.";

    private FullSync() {}

    /** A received upload, checked and ready to replace the live collection; or the reason it was refused. */
    record ReceivedUpload(Path file, String refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Streams the upload into a temporary file in the user's folder and checks
     * it (integrity.md section 6). Runs without the user's lock: a slow upload
     * does not hold up the user's other requests.
     */
    static ReceivedUpload receive(Path folder, InputStream body, long maxBytes, long nowMillis) throws IOException {
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, "upload-", ".anki2.tmp");
        boolean keep = false;
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.transferTo(out);
            } catch (LimitedInputStream.PayloadTooLargeException e) {
                return new ReceivedUpload(null, TOO_LARGE);
            }
            if (Files.size(temp) >= maxBytes) {
                return new ReceivedUpload(null, TOO_LARGE);
            }
            String problem = UploadCheck.problem(temp, nowMillis);
            if (problem != null) {
                LOG.info("refused upload into {}: {}", folder.getFileName(), problem);
                return new ReceivedUpload(null, CORRUPT);
            }
            force(temp);
            keep = true;
            return new ReceivedUpload(temp, null);
        } finally {
            if (!keep) {
                deleteWithSidecars(temp);
            }
        }
    }

    /**
     * Puts an accepted upload in place of the live collection. The caller holds
     * the user's lock and has closed every connection to the live file.
     */
    static void install(Path upload, Path live) throws IOException {
        // A leftover WAL would be replayed into the new file; the old file is being replaced anyway.
        Files.deleteIfExists(Path.of(live + "-wal"));
        Files.deleteIfExists(Path.of(live + "-shm"));
        Files.move(upload, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteWithSidecars(upload);
        force(live.getParent());
    }

    /**
     * Prepares the live collection for download: {@code usn + 1}, {@code mod =
     * now}, everything checkpointed into the main file. Returns its size.
     */
    static long prepareDownload(Path live, long nowMillis) throws SQLException, IOException {
        try (Connection db = CollectionDatabase.open(live)) {
            db.setAutoCommit(false);
            ColTable.prepareDownload(db, nowMillis);
            db.commit();
            db.setAutoCommit(true);
            CollectionDatabase.checkpoint(db);
        }
        return Files.size(live);
    }

    /**
     * A schema-11 copy of the live collection (already prepared by
     * {@link #prepareDownload}) for a legacy client, in journal mode DELETE.
     * The live file stays schema 18; the caller deletes the copy.
     */
    static Path schema11Copy(Path live) throws SQLException, IOException {
        Path copy = Files.createTempFile(live.getParent(), "download-", ".anki2.tmp");
        try {
            Files.copy(live, copy, StandardCopyOption.REPLACE_EXISTING);
            Schema11Downgrade.downgrade(copy);
            return copy;
        } catch (SQLException | IOException | RuntimeException e) {
            deleteWithSidecars(copy);
            throw e;
        }
    }

    static void deleteWithSidecars(Path file) {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                LOG.warn("cannot delete {}{}: {}", file, suffix, e.getMessage());
            }
        }
    }

    private static void force(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Directories cannot be opened for sync on every platform; the rename is still atomic.
            LOG.debug("fsync {}: {}", path, e.getMessage());
        }
    }
}
