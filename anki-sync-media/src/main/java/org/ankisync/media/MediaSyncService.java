package org.ankisync.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.ankisync.core.config.HistorySettings;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.http.MediaMethod;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.media.MediaSync;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.storage.UserFolders;
import org.ankisync.media.db.MediaEntry;
import org.ankisync.media.db.MediaMeta;
import org.ankisync.media.db.ServerMediaDatabase;
import org.ankisync.media.names.MediaFileNames;
import org.ankisync.media.store.FileSystemMediaStore;
import org.ankisync.media.store.MediaStore;
import org.ankisync.media.store.MediaStores;
import org.ankisync.media.trash.ExportMedia;
import org.ankisync.media.trash.MediaTrash;
import org.ankisync.media.zip.DownloadZip;
import org.ankisync.media.zip.StagedUpload;
import org.ankisync.media.zip.UploadChange;
import org.ankisync.media.zip.UploadZipReader;
import org.ankisync.media.zip.ZipRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media sync ({@code /msync/*}, media-sync.md): the five methods over a
 * per-user media database and a {@link MediaStore} for the bytes.
 *
 * <pre>{@code
 * SyncServer.builder(config).media(MediaSyncService.onFileSystem(config.collectionsPath()))
 * }</pre>
 *
 * <p>One user's requests are serialised by a per-user lock; upload zips are
 * read and staged before the lock is taken, so a slow client holds nobody up
 * while it sends.
 */
public final class MediaSyncService implements MediaSync {
    private static final Logger LOG = LoggerFactory.getLogger(MediaSyncService.class);
    private static final long LOCK_WAIT_SECONDS = 300;

    /** Rejects trailing garbage after the JSON value, as the official server's parser does. */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final UserFolders folders;
    private final MediaStore.Factory stores;
    private final Clock clock;
    private final ConcurrentMap<String, UserMedia> users = new ConcurrentHashMap<>();
    /** How long deleted files stay in the media trash; zero deletes them at once. */
    private final Duration trashTime;

    private volatile SyncObserver observer = SyncObserver.NONE;

    public MediaSyncService(Path collectionsPath, MediaStore.Factory stores, Clock clock) {
        this(collectionsPath, stores, clock, Duration.ofDays(HistorySettings.DEFAULT_MEDIA_TRASH_DAYS));
    }

    public MediaSyncService(Path collectionsPath, MediaStore.Factory stores, Clock clock, Duration trashTime) {
        this.folders = new UserFolders(collectionsPath);
        this.stores = Objects.requireNonNull(stores, "stores");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.trashTime = Objects.requireNonNull(trashTime, "trashTime");
    }

    /** Files in {@code <collections>/<user>/media/}, the database in {@code <collections>/<user>/media.db}. */
    public static MediaSyncService onFileSystem(Path collectionsPath) {
        return new MediaSyncService(collectionsPath, FileSystemMediaStore.FACTORY, Clock.systemUTC());
    }

    /** As {@link #onFileSystem(Path)}, with the media trash time of the settings. */
    public static MediaSyncService onFileSystem(Path collectionsPath, HistorySettings history) {
        return new MediaSyncService(
                collectionsPath,
                FileSystemMediaStore.FACTORY,
                Clock.systemUTC(),
                Duration.ofDays(history.mediaTrashDays()));
    }

    /**
     * The media store that the settings choose ({@code ANKISYNCD_MEDIA_STORE}, see
     * {@link MediaStores}), the database in {@code <collections>/<user>/media.db}.
     */
    public static MediaSyncService fromSettings(ServerConfig config, Map<String, String> settings) {
        return new MediaSyncService(
                config.collectionsPath(),
                MediaStores.fromSettings(settings),
                Clock.systemUTC(),
                Duration.ofDays(config.history().mediaTrashDays()));
    }

    /** Reports the media files and bytes moved by each batch to {@code newObserver} (metrics). */
    public MediaSyncService observedBy(SyncObserver newObserver) {
        this.observer = Objects.requireNonNull(newObserver, "observer");
        return this;
    }

    @Override
    public int currentUsn(String username) throws IOException, SQLException {
        UserMedia user = user(username);
        return locked(user, () -> {
            if (!Files.exists(user.databaseFile())) {
                return 0;
            }
            try (ServerMediaDatabase db = ServerMediaDatabase.open(user.databaseFile())) {
                return db.meta().lastUsn();
            }
        });
    }

    @Override
    public SyncReply handle(MediaMethod method, String username, SyncRequest request, ReplyFramer replies)
            throws IOException, SQLException {
        UserMedia user = user(username);
        return switch (method) {
            case BEGIN -> begin(user, request, replies);
            case MEDIA_CHANGES -> mediaChanges(user, request, replies);
            case UPLOAD_CHANGES -> uploadChanges(user, request, replies);
            case DOWNLOAD_FILES -> downloadFiles(user, request, replies);
            case MEDIA_SANITY -> mediaSanity(user, request, replies);
        };
    }

    // --- methods ------------------------------------------------------------

    private SyncReply begin(UserMedia user, SyncRequest request, ReplyFramer replies) throws IOException, SQLException {
        JsonNode body = readJson(request);
        JsonNode version = body.get("v");
        if (version == null || !version.isTextual() || version.textValue().isEmpty()) {
            throw SyncException.badRequest("missing client version");
        }
        int usn = withDatabase(user, db -> db.meta().lastUsn());
        ObjectNode data = json.createObjectNode();
        data.put("usn", usn);
        data.put("sk", request.hostKey());
        return envelope(replies, data);
    }

    private SyncReply mediaChanges(UserMedia user, SyncRequest request, ReplyFramer replies)
            throws IOException, SQLException {
        int lastUsn = JsonArgs.integralInt(readJson(request), "lastUsn");
        List<MediaEntry> rows = withDatabase(user, db -> db.changesSince(lastUsn, MediaLimits.MAX_CHANGES_PER_REPLY));
        ArrayNode data = json.createArrayNode();
        for (MediaEntry row : rows) {
            data.addArray().add(row.fname()).add(row.usn()).add(row.sha1HexOrEmpty());
        }
        return envelope(replies, data);
    }

    private SyncReply uploadChanges(UserMedia user, SyncRequest request, ReplyFramer replies)
            throws IOException, SQLException {
        Files.createDirectories(user.folder());
        int[] result;
        try (StagedUpload staged = new UploadZipReader(json, user.folder()).read(request.payload())) {
            result = withDatabase(user, db -> apply(user, db, staged.changes()));
        } catch (ZipRefusedException e) {
            throw SyncException.badRequest("unzip files: " + e.getMessage(), e);
        }
        ArrayNode data = json.createArrayNode().add(result[0]).add(result[1]);
        return envelope(replies, data);
    }

    /** Applies one validated batch in one transaction; returns {processed, new usn}. */
    private int[] apply(UserMedia user, ServerMediaDatabase db, List<UploadChange> changes)
            throws IOException, SQLException {
        MediaStore store = user.store();
        MediaMeta meta = db.meta();
        int usn = meta.lastUsn();
        long bytes = meta.totalBytes();
        long files = meta.totalNonemptyFiles();
        long now = clock.instant().getEpochSecond();
        int[] counts = new int[UploadOutcome.values().length];
        MediaTrash trash = new MediaTrash(user.folder());
        Path trashBatch = null;
        List<String> trashed = new ArrayList<>();
        long bytesStored = 0;
        try {
            for (UploadChange change : changes) {
                Optional<MediaEntry> existing = db.entry(change.fname());
                UploadOutcome outcome = UploadOutcome.of(existing, change);
                counts[outcome.ordinal()]++;
                switch (outcome) {
                    case REMOVED:
                        usn++;
                        db.setEntry(
                                new MediaEntry(change.fname(), existing.get().sha1(), 0, usn, now));
                        bytes -= existing.get().size();
                        files--;
                        if (trashTime.isZero()) {
                            store.delete(change.fname());
                        } else {
                            if (trashBatch == null) {
                                trashBatch = trash.batch(clock.instant());
                            }
                            if (store.moveOut(change.fname(), trashBatch.resolve(change.fname()))) {
                                trashed.add(change.fname());
                            }
                        }
                        break;
                    case ADDED:
                    case REPLACED:
                        usn++;
                        db.setEntry(new MediaEntry(change.fname(), change.sha1(), change.size(), usn, now));
                        if (outcome == UploadOutcome.ADDED) {
                            files++;
                            bytes += change.size();
                        } else {
                            bytes += change.size() - existing.get().size();
                        }
                        store.putFile(change.fname(), change.staged());
                        bytesStored += change.size();
                        break;
                    case IDENTICAL:
                        // nothing changes for clients; but heal a file lost from the store
                        if (store.size(change.fname()) != existing.get().size()) {
                            store.putFile(change.fname(), change.staged());
                        }
                        break;
                    case ALREADY_DELETED:
                    default:
                        break;
                }
            }
            db.setMeta(new MediaMeta(usn, bytes, files));
            store.flush();
            db.commit();
        } catch (IOException | SQLException | RuntimeException e) {
            db.rollback();
            putBack(store, trashBatch, trashed);
            throw e;
        }
        if (!trashTime.isZero()) {
            trash.purge(clock.instant(), trashTime);
        }
        observer.mediaMoved(
                true, counts[UploadOutcome.ADDED.ordinal()] + counts[UploadOutcome.REPLACED.ordinal()], bytesStored);
        LOG.debug(
                "media upload for {}: {} changes ({} added, {} replaced, {} removed, {} no-ops), usn {}",
                user.username(),
                changes.size(),
                counts[UploadOutcome.ADDED.ordinal()],
                counts[UploadOutcome.REPLACED.ordinal()],
                counts[UploadOutcome.REMOVED.ordinal()],
                counts[UploadOutcome.IDENTICAL.ordinal()] + counts[UploadOutcome.ALREADY_DELETED.ordinal()],
                usn);
        return new int[] {changes.size(), usn};
    }

    /** The database rolled back: files moved to the trash by the failed batch go back. */
    private static void putBack(MediaStore store, Path trashBatch, List<String> trashed) {
        for (String name : trashed) {
            try {
                store.putFile(name, trashBatch.resolve(name));
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not put {} back from the media trash: {}", name, e.getMessage());
            }
        }
    }

    /** The user's media trash, newest deletion first. Takes the user's media lock. */
    public List<MediaTrash.Entry> trashList(String username) throws IOException, SQLException {
        UserMedia user = user(username);
        return locked(user, () -> new MediaTrash(user.folder()).list());
    }

    /**
     * Puts files back from the trash (the newest deleted copy of each name; all
     * names if {@code names} is empty) with a new media usn, so that every
     * device downloads them at its next media sync. A name that is present
     * again (re-added since) is left alone. Returns the names restored.
     */
    public List<String> restoreFromTrash(String username, List<String> names) throws IOException, SQLException {
        UserMedia user = user(username);
        return withDatabase(user, db -> {
            MediaTrash trash = new MediaTrash(user.folder());
            Map<String, MediaTrash.Entry> newest = trash.newestByName();
            List<String> wanted = names.isEmpty() ? new ArrayList<>(newest.keySet()) : names;
            MediaMeta meta = db.meta();
            int usn = meta.lastUsn();
            long bytes = meta.totalBytes();
            long files = meta.totalNonemptyFiles();
            long now = clock.instant().getEpochSecond();
            List<MediaTrash.Entry> restoring = new ArrayList<>();
            for (String name : wanted) {
                MediaTrash.Entry entry = newest.get(name);
                if (entry == null) {
                    throw new NoSuchFileException("not in the media trash of " + username + ": " + name);
                }
                Optional<MediaEntry> existing = db.entry(name);
                if (existing.isPresent() && existing.get().present()) {
                    LOG.info("media trash restore of {}: {} is present again, left alone", username, name);
                    continue;
                }
                usn++;
                db.setEntry(new MediaEntry(name, sha1(entry.file()), entry.size(), usn, now));
                bytes += entry.size();
                files++;
                restoring.add(entry);
            }
            db.setMeta(new MediaMeta(usn, bytes, files));
            List<String> restored = new ArrayList<>();
            // Files first, then the commit: a crash in between leaves files that clients are not told about,
            // never an entry without its file. Restoring again finishes the job.
            for (MediaTrash.Entry entry : restoring) {
                user.store().putFile(entry.name(), entry.file());
                trash.removeIfEmpty(entry.file().getParent());
                restored.add(entry.name());
            }
            db.commit();
            LOG.info("media trash restore of {}: {} files, media usn now {}", username, restored.size(), usn);
            return restored;
        });
    }

    /**
     * The media files for a snapshot's {@code .colpkg} (current media plus the trash's
     * newest copies). With the file system store they are the user's own files; with
     * another store they are copied into the user's folder under the user's media lock,
     * and closing the result removes the copies.
     */
    public ExportMedia.Staged exportMedia(String username) throws IOException, SQLException {
        UserMedia user = user(username);
        if (user.store() instanceof FileSystemMediaStore) {
            return ExportMedia.Staged.inPlace(ExportMedia.of(user.folder()));
        }
        return withDatabase(user, db -> {
            List<String> present = new ArrayList<>();
            for (MediaEntry entry : db.changesSince(0, Integer.MAX_VALUE)) {
                if (entry.present()) {
                    present.add(entry.fname());
                }
            }
            return ExportMedia.stage(user.folder(), user.store(), present);
        });
    }

    private static byte[] sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private SyncReply downloadFiles(UserMedia user, SyncRequest request, ReplyFramer replies)
            throws IOException, SQLException {
        JsonNode filesNode = readJson(request).get("files");
        if (filesNode == null || !filesNode.isArray()) {
            throw SyncException.badRequest("invalid json: files must be an array");
        }
        if (filesNode.size() > MediaLimits.MAX_FILES_PER_BATCH) {
            throw SyncException.badRequest("too many files requested");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : filesNode) {
            if (!name.isTextual()) {
                throw SyncException.badRequest("invalid json: file names must be strings");
            }
            names.add(name.textValue());
        }
        DownloadZip zip = withDatabase(user, db -> prepareDownload(user, db, names));
        return replies.stream(zip.size(), out -> {
                    zip.writeTo(out);
                    // Counted once written: a batch the client broke off moved nothing.
                    observer.mediaMoved(false, zip.fileCount(), zip.contentBytes());
                })
                .whenComplete(zip::closeAll); // also when no body is written (HEAD): an S3 stream holds a connection
    }

    /**
     * Chooses the prefix of {@code names} to send and opens the files while the
     * user's lock is held; the open streams keep their content even if a later
     * upload replaces the files while the reply is being written.
     */
    private DownloadZip prepareDownload(UserMedia user, ServerMediaDatabase db, List<String> names)
            throws IOException, SQLException {
        List<MediaEntry> chosen = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            Optional<MediaEntry> entry = db.entry(name);
            if (entry.isEmpty() || !entry.get().present()) {
                throw SyncException.conflict("missing/empty file entry: " + MediaFileNames.printable(name));
            }
            chosen.add(entry.get());
            total += entry.get().size();
            if (total > MediaLimits.TARGET_ZIP_BYTES) {
                break;
            }
        }
        List<DownloadZip.File> files = new ArrayList<>();
        boolean success = false;
        try {
            for (MediaEntry entry : chosen) {
                long[] sizeAndCrc = measure(user.store(), entry.fname());
                if (sizeAndCrc == null) {
                    forgetMissing(db, entry);
                    throw SyncException.conflict("requested a file that doesn't exist: " + entry.fname());
                }
                InputStream content = user.store().open(entry.fname());
                files.add(new DownloadZip.File(entry.fname(), sizeAndCrc[0], sizeAndCrc[1], content));
            }
            DownloadZip zip = new DownloadZip(json, files);
            success = true;
            return zip;
        } finally {
            if (!success) {
                for (DownloadZip.File file : files) {
                    file.content().close();
                }
            }
        }
    }

    /** Length and CRC-32 of a stored file, or null if it is missing or empty. */
    private static long[] measure(MediaStore store, String name) throws IOException {
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = store.open(name)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                size += n;
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        return size == 0 ? null : new long[] {size, crc.getValue()};
    }

    /** A file the database lists but the store lacks: forget its row so clients stop asking for it. */
    private static void forgetMissing(ServerMediaDatabase db, MediaEntry entry) throws SQLException {
        MediaMeta meta = db.meta();
        db.removeEntry(entry.fname());
        db.setMeta(new MediaMeta(meta.lastUsn(), meta.totalBytes() - entry.size(), meta.totalNonemptyFiles() - 1));
        db.commit();
        LOG.warn("media file {} is listed but missing from the store; its entry was removed", entry.fname());
    }

    private SyncReply mediaSanity(UserMedia user, SyncRequest request, ReplyFramer replies)
            throws IOException, SQLException {
        long local = JsonArgs.integralLong(readJson(request), "local");
        long server = withDatabase(user, db -> db.meta().totalNonemptyFiles());
        if (local != server) {
            LOG.info(
                    "media sanity check for {} failed: client has {} files, server {}", user.username(), local, server);
        }
        return envelope(replies, json.getNodeFactory().textNode(local == server ? "OK" : "mediaSanity"));
    }

    // --- helpers ------------------------------------------------------------

    private UserMedia user(String username) {
        return users.computeIfAbsent(username, name -> {
            Path folder = folders.folder(name);
            removeStaleUploads(folder);
            return new UserMedia(name, folder, stores.forUser(name, folder));
        });
    }

    /**
     * Deletes temporary upload files a crashed or killed process left behind.
     * Runs once per user and process, before this process can have started an
     * upload for the user.
     */
    private static void removeStaleUploads(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var stale = Files.newDirectoryStream(folder, ".media-*.tmp")) {
            for (Path file : stale) {
                Files.deleteIfExists(file);
                LOG.info("removed stale temporary media file {}", file);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean temporary media files in {}: {}", folder, e.getMessage());
        }
        try (var stale = Files.newDirectoryStream(folder, ExportMedia.STAGING_PREFIX + "*")) {
            for (Path staging : stale) {
                ExportMedia.deleteTree(staging);
                LOG.info("removed the media copies of an interrupted export, {}", staging);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean export copies in {}: {}", folder, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws IOException, SQLException;
    }

    @FunctionalInterface
    private interface DbWork<T> {
        T run(ServerMediaDatabase db) throws IOException, SQLException;
    }

    @SuppressWarnings("try") // the resource is a lock, held for the whole block
    private static <T> T locked(UserMedia user, Work<T> work) throws IOException, SQLException {
        try {
            if (!user.lock().tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw SyncException.conflict("media of " + user.username() + " busy for " + LOCK_WAIT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SyncException.internal("interrupted while waiting for the media lock", e);
        }
        try (UserFolderLock.Held held = UserFolderLock.acquire(user.folder(), UserFolderLock.Part.MEDIA)) {
            // the file lock too: the command line (media trash restore, backup) honours it from another process
            return work.run();
        } finally {
            user.lock().unlock();
        }
    }

    /** Runs {@code work} on the user's database, opened (and created if need be) under the user's lock. */
    private static <T> T withDatabase(UserMedia user, DbWork<T> work) throws IOException, SQLException {
        return locked(user, () -> {
            Files.createDirectories(user.folder());
            try (ServerMediaDatabase db = ServerMediaDatabase.open(user.databaseFile())) {
                return work.run(db);
            }
        });
    }

    private JsonNode readJson(SyncRequest request) throws IOException {
        return JsonArgs.readObject(request, json, MediaLimits.MAX_JSON_BYTES);
    }

    private SyncReply envelope(ReplyFramer replies, JsonNode data) throws JsonProcessingException {
        ObjectNode envelope = json.createObjectNode();
        envelope.set("data", data);
        envelope.put("err", "");
        return replies.bytes(json.writeValueAsBytes(envelope));
    }
}
