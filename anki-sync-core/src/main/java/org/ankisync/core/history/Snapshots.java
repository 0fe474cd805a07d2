package org.ankisync.core.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.ankisync.core.config.HistorySettings;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.SqliteFiles;
import org.ankisync.core.storage.schema18.ColTable;
import org.ankisync.core.storage.schema18.CollectionCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of users' collections in {@code <user>/snapshots/}: taking them,
 * listing, restoring, and pruning them by the retention settings. The server
 * (before full uploads, daily) and the command line both use this class; the
 * caller holds the user's collection lock ({@link UserFolderLock.Part#COLLECTION})
 * for every method that changes something.
 *
 * <p>A snapshot is SQLite's {@code VACUUM INTO} of the live file (one read
 * transaction, so consistent even while the file is in use), compressed with
 * zstd. Files are written under temporary names and renamed; the metadata
 * file is renamed last, and only snapshots with metadata are listed, so a
 * crash never leaves a half-written snapshot that looks complete.
 */
public final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    public static final String FOLDER = "snapshots";
    public static final String COLLECTION_FILE = "collection.anki2";
    static final String DATA_SUFFIX = ".anki2.zst";
    static final String META_SUFFIX = ".json";
    private static final Pattern ID = Pattern.compile("\\d{8}-\\d{6}-\\d{3}(-\\d+)?");
    private static final DateTimeFormatter ID_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final int ZSTD_LEVEL = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HistorySettings settings;
    private final Clock clock;
    /** User folder -> the UTC day of its newest snapshot, so the daily check does not list files each sync. */
    private final ConcurrentMap<Path, LocalDate> newestDay = new ConcurrentHashMap<>();

    public Snapshots(HistorySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public HistorySettings settings() {
        return settings;
    }

    /** Whether {@code id} has the shape of a snapshot ID (checked before it becomes part of a path). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The user's complete snapshots, oldest first. Needs no lock: incomplete ones have no metadata yet. */
    public List<SnapshotInfo> list(Path userFolder) throws IOException {
        Path folder = userFolder.resolve(FOLDER);
        List<SnapshotInfo> all = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return all;
        }
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(folder, "*" + META_SUFFIX)) {
            for (Path meta : metas) {
                String id = stem(meta, META_SUFFIX);
                if (!isId(id) || !Files.isRegularFile(folder.resolve(id + DATA_SUFFIX))) {
                    continue;
                }
                try {
                    all.add(fromJson(JSON.readTree(meta.toFile())));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("unreadable snapshot metadata {}: {}", meta, e.getMessage());
                }
            }
        }
        all.sort(Comparator.comparing(SnapshotInfo::id));
        return all;
    }

    public Optional<SnapshotInfo> find(Path userFolder, String id) throws IOException {
        if (!isId(id)) {
            return Optional.empty();
        }
        return list(userFolder).stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** True if the user has no snapshot from today (UTC) yet: the first sync of the day takes one. */
    public boolean dailyDue(Path userFolder) {
        if (!settings.snapshots()) {
            return false;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate newest = newestDay.computeIfAbsent(userFolder, folder -> {
            try {
                List<SnapshotInfo> all = list(folder);
                return all.isEmpty()
                        ? LocalDate.MIN
                        : LocalDate.ofInstant(all.get(all.size() - 1).time(), ZoneOffset.UTC);
            } catch (IOException e) {
                return LocalDate.MIN;
            }
        });
        return newest.isBefore(today);
    }

    /** Records that today's daily snapshot is settled (taken, or nothing to take). */
    public void dailyDone(Path userFolder) {
        newestDay.put(userFolder, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    /**
     * Takes a snapshot of the live collection and prunes by the retention
     * settings; empty if there is nothing to keep (no collection, or one
     * without notes or reviews). Call with the user's collection lock held.
     */
    public Optional<SnapshotInfo> take(Path userFolder, String reason, String clientVersion, String address)
            throws IOException, SQLException {
        Path live = userFolder.resolve(COLLECTION_FILE);
        if (!Files.isRegularFile(live)) {
            return Optional.empty();
        }
        try (Connection db = CollectionDatabase.open(live)) {
            return take(userFolder, db, reason, clientVersion, address);
        }
    }

    /**
     * {@link #take(Path, String, String, String)} through a connection to the live
     * collection that the caller already holds (the server's kept one, with no
     * transaction open), so that taking a snapshot opens no connection of its own.
     */
    public Optional<SnapshotInfo> take(
            Path userFolder, Connection db, String reason, String clientVersion, String address)
            throws IOException, SQLException {
        Path folder = Files.createDirectories(userFolder.resolve(FOLDER));
        removeTemporaryFiles(folder);
        Instant time = clock.instant();
        String id = freshId(folder, time);
        Path raw = folder.resolve(id + ".anki2.tmp");
        Path data = folder.resolve(id + DATA_SUFFIX);
        Path dataTemp = folder.resolve(id + DATA_SUFFIX + ".tmp");
        Path metaTemp = folder.resolve(id + META_SUFFIX + ".tmp");
        try {
            // Counted before VACUUM INTO copies the same committed state: the caller holds the
            // user's lock, so nothing commits in between (no second connection to the copy).
            long[] counts = CollectionCounts.notesCardsRevlog(db);
            if (counts[0] == 0 && counts[2] == 0) {
                return Optional.empty();
            }
            SqliteFiles.vacuumInto(db, raw.toAbsolutePath());
            long rawSize = Files.size(raw);
            try (InputStream in = Files.newInputStream(raw);
                    OutputStream out = new ZstdOutputStream(Files.newOutputStream(dataTemp), ZSTD_LEVEL)) {
                in.transferTo(out);
            }
            force(dataTemp);
            Files.move(dataTemp, data, StandardCopyOption.ATOMIC_MOVE);
            SnapshotInfo info = new SnapshotInfo(
                    id,
                    time,
                    reason,
                    clientVersion == null ? "" : clientVersion,
                    address == null ? "" : address,
                    counts[0],
                    counts[1],
                    counts[2],
                    rawSize,
                    Files.size(data));
            JSON.writeValue(metaTemp.toFile(), toJson(info));
            force(metaTemp);
            Files.move(metaTemp, folder.resolve(id + META_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            force(folder);
            newestDay.put(userFolder, LocalDate.ofInstant(time, ZoneOffset.UTC));
            LOG.info(
                    "snapshot {} of {} ({}): {} notes, {} cards, {} reviews, {} bytes stored",
                    id,
                    userFolder.getFileName(),
                    reason,
                    counts[0],
                    counts[1],
                    counts[2],
                    info.storedBytes());
            prune(userFolder);
            return Optional.of(info);
        } finally {
            deleteWithSidecars(raw);
            Files.deleteIfExists(dataTemp);
            Files.deleteIfExists(metaTemp);
        }
    }

    /** Deletes the snapshots the retention settings no longer keep. Call with the user's collection lock held. */
    public List<SnapshotInfo> prune(Path userFolder) throws IOException {
        List<SnapshotInfo> delete = SnapshotRetention.toDelete(list(userFolder), settings, clock.instant());
        Path folder = userFolder.resolve(FOLDER);
        for (SnapshotInfo old : delete) {
            // Metadata first: a crash in between leaves data without metadata, which is never listed.
            Files.deleteIfExists(folder.resolve(old.id() + META_SUFFIX));
            Files.deleteIfExists(folder.resolve(old.id() + DATA_SUFFIX));
            LOG.info("snapshot {} of {} removed by the retention settings", old.id(), userFolder.getFileName());
        }
        return delete;
    }

    /** Writes the snapshot's collection, uncompressed, to {@code target} (which must not exist). */
    public void decompress(Path userFolder, String id, Path target) throws IOException {
        if (!isId(id)) {
            throw new NoSuchFileException("no snapshot " + id);
        }
        Path data = userFolder.resolve(FOLDER).resolve(id + DATA_SUFFIX);
        try (InputStream in = new ZstdInputStream(Files.newInputStream(data));
                OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            in.transferTo(out);
        }
    }

    /**
     * Puts snapshot {@code id} in place of the live collection: first a
     * {@code before-restore} snapshot of the current state, then the snapshot
     * is checked, given a new schema time (so that every device's next sync
     * asks for a full sync instead of merging), and copied into the live file
     * in one SQLite transaction (the online backup API), which also keeps any
     * connection the server holds to the file valid. Call with the user's
     * collection lock held.
     *
     * @throws CollectionBusyException if a sync holds a write transaction open (try again shortly)
     */
    public SnapshotInfo restore(Path userFolder, String id, String clientVersion, String address)
            throws IOException, SQLException {
        SnapshotInfo target = find(userFolder, id)
                .orElseThrow(() -> new NoSuchFileException("no snapshot " + id + " for " + userFolder.getFileName()));
        Path live = userFolder.resolve(COLLECTION_FILE);
        Path folder = Files.createDirectories(userFolder.resolve(FOLDER));
        removeTemporaryFiles(folder);
        if (Files.isRegularFile(live)) {
            requireNoWriter(live);
            take(userFolder, SnapshotInfo.BEFORE_RESTORE, clientVersion, address);
        }
        Path raw = folder.resolve("restore-" + id + ".anki2.tmp");
        try {
            decompress(userFolder, id, raw);
            long now = clock.millis();
            try (Connection db = CollectionDatabase.open(raw)) {
                String integrity = CollectionDatabase.integrityCheck(db);
                if (!"ok".equals(integrity)) {
                    throw new SQLException("snapshot " + id + " fails the integrity check: " + integrity);
                }
                int liveUsn = Files.isRegularFile(live) ? usnOf(live) : 0;
                ColTable.restampRestored(db, now, liveUsn);
                CollectionDatabase.checkpoint(db);
            }
            if (Files.isRegularFile(live)) {
                try (Connection db = CollectionDatabase.open(live)) {
                    int rc = ((org.sqlite.SQLiteConnection) db)
                            .getDatabase()
                            .restore("main", raw.toAbsolutePath().toString(), null, 100, 50, -1);
                    if (rc != 0 && rc != 101) {
                        throw new CollectionBusyException(
                                "copying the snapshot into the collection: SQLite code " + rc);
                    }
                    CollectionDatabase.checkpoint(db);
                }
            } else {
                Files.move(raw, live, StandardCopyOption.ATOMIC_MOVE);
                force(userFolder);
            }
            LOG.info("snapshot {} of {} restored", id, userFolder.getFileName());
            return target;
        } finally {
            deleteWithSidecars(raw);
        }
    }

    /** A sync of the user holds a write transaction: a restore has to wait for it. */
    public static final class CollectionBusyException extends SQLException {
        private static final long serialVersionUID = 1L;

        CollectionBusyException(String message) {
            super(message);
        }
    }

    private static void requireNoWriter(Path live) throws SQLException {
        try (Connection db = CollectionDatabase.open(live)) {
            try {
                SqliteFiles.probeWriteLock(db);
            } catch (SQLException e) {
                throw new CollectionBusyException(
                        "a sync of this user is writing to the collection: " + e.getMessage());
            }
        }
    }

    private static ObjectNode toJson(SnapshotInfo info) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", info.id())
                .put("time", info.time().toString())
                .put("reason", info.reason())
                .put("clientVersion", info.clientVersion())
                .put("address", info.address())
                .put("notes", info.notes())
                .put("cards", info.cards())
                .put("revlog", info.revlog())
                .put("collectionBytes", info.collectionBytes())
                .put("storedBytes", info.storedBytes());
        return node;
    }

    private static SnapshotInfo fromJson(JsonNode node) {
        return new SnapshotInfo(
                node.path("id").asText(),
                Instant.parse(node.path("time").asText()),
                node.path("reason").asText(),
                node.path("clientVersion").asText(),
                node.path("address").asText(),
                node.path("notes").asLong(),
                node.path("cards").asLong(),
                node.path("revlog").asLong(),
                node.path("collectionBytes").asLong(),
                node.path("storedBytes").asLong());
    }

    private static int usnOf(Path collection) throws SQLException {
        try (Connection db = CollectionDatabase.open(collection)) {
            return ColTable.usnOrZero(db);
        }
    }

    private static String freshId(Path folder, Instant time) {
        String base = ID_FORMAT.format(time);
        String id = base;
        for (int n = 2;
                Files.exists(folder.resolve(id + META_SUFFIX)) || Files.exists(folder.resolve(id + DATA_SUFFIX));
                n++) {
            id = base + "-" + n;
        }
        return id;
    }

    /** Leftovers of an interrupted snapshot or restore (only ever there while the lock is held). */
    private static void removeTemporaryFiles(Path folder) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, "*.tmp*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        // data without metadata: a snapshot interrupted between its two renames, or a half-pruned one
        try (DirectoryStream<Path> data = Files.newDirectoryStream(folder, "*" + DATA_SUFFIX)) {
            for (Path file : data) {
                if (!Files.exists(folder.resolve(stem(file, DATA_SUFFIX) + META_SUFFIX))) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static String stem(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }

    static void deleteWithSidecars(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    static void force(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("fsync {}: {}", path, e.getMessage());
        }
    }
}
