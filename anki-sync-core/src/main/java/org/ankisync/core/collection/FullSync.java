package org.ankisync.core.collection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.ankisync.core.framing.LimitedInputStream;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.Schema11Downgrade;
import org.ankisync.core.storage.Schema11Upgrade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full upload and download: whole collection files, streamed to and from disk,
 * checked before they replace anything, replaced atomically.
 */
final class FullSync {
    private static final Logger LOG = LoggerFactory.getLogger(FullSync.class);
    static final String OK = "OK";
    static final String TOO_LARGE = "collection exceeds size limit";
    static final String CORRUPT = "Your upload was corrupt. Please use Check Database, or restore from backup.";
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> SCHEMA_18_TABLES = List.of("col", "notes", "cards", "revlog", "graves",
            "notetypes", "fields", "templates", "decks", "deck_config", "config", "tags");
    private static final List<String> USN_TABLES = List.of("cards", "notes", "revlog", "graves", "decks",
            "deck_config", "tags", "notetypes");

    private FullSync() {
    }

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
            String problem = check(temp, nowMillis);
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
     * Null if the file is an acceptable collection, else what is wrong with it.
     * A schema-11 file (from a legacy client) is upgraded to schema 18 in place.
     */
    static String check(Path file, long nowMillis) throws IOException {
        byte[] head = new byte[SQLITE_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length
                    || !java.util.Arrays.equals(head, SQLITE_MAGIC)) {
                return "not an SQLite database";
            }
        }
        try (Connection db = CollectionDatabase.open(file); Statement st = db.createStatement()) {
            String integrity = CollectionDatabase.integrityCheck(db);
            if (!"ok".equals(integrity)) {
                return "integrity check: " + integrity;
            }
            String upgrade = upgradeSchema11(db, nowMillis);
            if (upgrade != null) {
                return upgrade;
            }
            for (String table : SCHEMA_18_TABLES) {
                try (ResultSet rs = st.executeQuery(
                        "select count() from sqlite_master where type = 'table' and name = '" + table + "'")) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        return "missing table " + table;
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("select count(), min(id), max(ver) from col")) {
                if (!rs.next() || rs.getInt(1) != 1 || rs.getLong(2) != 1) {
                    return "col must hold exactly one row with id 1";
                }
                int ver = rs.getInt(3);
                if (ver != 18) {
                    // 14-17 only ever existed inside Rust-era desktop clients, which upload 11 or 18.
                    return "schema version " + ver + " (only 11 and 18 are accepted)";
                }
            }
            try (ResultSet rs = st.executeQuery("select count() from cards where type not between 0 and 3"
                    + " or queue not between -3 and 4")) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return "cards with an invalid type or queue";
                }
            }
            db.setAutoCommit(false);
            for (String table : USN_TABLES) {
                // What the client's own pre-upload step does; otherwise the next sanity check fails.
                st.executeUpdate("update " + table + " set usn = 0 where usn = -1");
            }
            db.commit();
            db.setAutoCommit(true);
            CollectionDatabase.checkpoint(db);
            return null;
        } catch (SQLException e) {
            return "cannot open: " + e.getMessage();
        }
    }

    /** Upgrades a schema-11 upload to 18; null if done or not needed, else the problem. */
    private static String upgradeSchema11(Connection db, long nowMillis) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "select ver from col where exists (select 1 from sqlite_master where name = 'col')")) {
            if (!rs.next() || rs.getInt(1) != 11) {
                return null;
            }
        } catch (SQLException e) {
            return null; // no col table: reported by the table check
        }
        db.setAutoCommit(false);
        try {
            Schema11Upgrade.upgrade(db, nowMillis / 1000);
            db.commit();
            return null;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            return "schema 11 upgrade: " + e.getMessage();
        } finally {
            db.setAutoCommit(true);
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
            try (PreparedStatement ps = db.prepareStatement("update col set usn = usn + 1, mod = ?")) {
                ps.setLong(1, nowMillis);
                ps.executeUpdate();
            }
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
