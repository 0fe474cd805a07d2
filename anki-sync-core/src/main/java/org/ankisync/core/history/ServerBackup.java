package org.ankisync.core.history;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.SqliteFiles;
import org.ankisync.core.storage.schema18.ColTable;

/**
 * A copy of the whole server: each user's collection, media database, media
 * files, snapshots and media trash, and the account database.
 * <ul>
 * <li>{@link #backup} runs beside a running server. Users are locked one at a
 * time (collection, then media, the order the server takes them in), never
 * all at once. SQLite files are copied with {@code VACUUM INTO} (consistent,
 * whatever else reads them); plain files only when their size or time changed
 * since the last backup into the same folder (incremental).</li>
 * <li>{@link #restore} brings a stopped server back from such a folder. A
 * restored collection gets a new schema time, so that each device is offered
 * the full-sync choice rather than merging with a collection older than itself.</li>
 * </ul>
 * Every file is written under a temporary name and renamed; the backup's
 * {@code BACKUP-COMPLETE} marker is written last, and restore refuses a folder
 * without it.
 */
public final class ServerBackup {
    static final String COLLECTIONS = "collections";
    static final String ACCOUNTS = "users.db";
    static final String MARKER = "BACKUP-COMPLETE";
    private static final List<String> SQLITE_FILES = List.of(Snapshots.COLLECTION_FILE, "media.db");
    private static final List<String> FOLDERS = List.of("media", Snapshots.FOLDER, "media-trash");

    private final Path collectionsPath;
    private final Path accountDb;

    public ServerBackup(Path collectionsPath, Path accountDb) {
        this.collectionsPath = collectionsPath.toAbsolutePath().normalize();
        this.accountDb = accountDb.toAbsolutePath().normalize();
    }

    /** What a backup or restore did. */
    public record Report(int users, int filesCopied, int filesUnchanged, long bytesCopied) {
        public String line() {
            return String.format(
                    "%d users; %d files copied (%d bytes), %d unchanged",
                    users, filesCopied, bytesCopied, filesUnchanged);
        }
    }

    @SuppressWarnings("try") // the resource is a lock, held for the whole block
    public Report backup(Path target) throws IOException, SQLException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root.resolve(COLLECTIONS));
        Files.deleteIfExists(root.resolve(MARKER));
        Counter counter = new Counter();
        List<String> users = users(collectionsPath);
        for (String user : users) {
            Path from = collectionsPath.resolve(user);
            Path to = Files.createDirectories(root.resolve(COLLECTIONS).resolve(user));
            try (UserFolderLock.Held collection = UserFolderLock.acquire(from, UserFolderLock.Part.COLLECTION);
                    UserFolderLock.Held media = UserFolderLock.acquire(from, UserFolderLock.Part.MEDIA)) {
                copyUser(from, to, counter);
            }
        }
        if (Files.isRegularFile(accountDb)) {
            vacuumInto(accountDb, root.resolve(ACCOUNTS), false);
            counter.copied(Files.size(root.resolve(ACCOUNTS)));
        }
        Path marker = root.resolve(MARKER);
        Files.writeString(root.resolve(MARKER + ".tmp"), Instant.now() + " " + users.size() + " users\n");
        Snapshots.force(root.resolve(MARKER + ".tmp"));
        Files.move(root.resolve(MARKER + ".tmp"), marker, StandardCopyOption.ATOMIC_MOVE);
        Snapshots.force(root);
        return counter.report(users.size());
    }

    /** Restores into the configured places; the server must be stopped (checked by the caller's lock). */
    @SuppressWarnings("try") // the resource is a lock, held for the whole block
    public Report restore(Path source) throws IOException, SQLException {
        Path root = source.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve(MARKER))) {
            throw new IllegalStateException(root + " is not a complete backup (no " + MARKER + ")");
        }
        try (ServerRunLock stopped = ServerRunLock.exclusive(collectionsPath)) {
            Counter counter = new Counter();
            List<String> users = users(root.resolve(COLLECTIONS));
            for (String user : users) {
                Path from = root.resolve(COLLECTIONS).resolve(user);
                Path to = Files.createDirectories(collectionsPath.resolve(user));
                for (String name : SQLITE_FILES) {
                    Path file = from.resolve(name);
                    if (Files.isRegularFile(file)) {
                        replaceSqlite(file, to.resolve(name), name.equals(Snapshots.COLLECTION_FILE));
                        counter.copied(Files.size(file));
                    }
                }
                for (String folder : FOLDERS) {
                    mirror(from.resolve(folder), to.resolve(folder), counter);
                }
            }
            if (Files.isRegularFile(root.resolve(ACCOUNTS))) {
                Files.createDirectories(accountDb.getParent());
                replaceSqlite(root.resolve(ACCOUNTS), accountDb, false);
                counter.copied(Files.size(accountDb));
            }
            return counter.report(users.size());
        }
    }

    private static void copyUser(Path from, Path to, Counter counter) throws IOException, SQLException {
        for (String name : SQLITE_FILES) {
            Path file = from.resolve(name);
            if (Files.isRegularFile(file)) {
                vacuumInto(file, to.resolve(name), name.equals(Snapshots.COLLECTION_FILE));
                counter.copied(Files.size(to.resolve(name)));
            }
        }
        for (String folder : FOLDERS) {
            mirror(from.resolve(folder), to.resolve(folder), counter);
        }
    }

    /** A consistent copy of a live SQLite file, renamed into place when complete. */
    private static void vacuumInto(Path live, Path target, boolean collection) throws IOException, SQLException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Snapshots.deleteWithSidecars(temp);
        try (Connection db =
                collection ? CollectionDatabase.open(live) : DriverManager.getConnection("jdbc:sqlite:" + live)) {
            SqliteFiles.busyTimeout(db, 60000);
            SqliteFiles.vacuumInto(db, temp);
        }
        Snapshots.force(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Puts a backed-up SQLite file in place of a stopped server's one: copied
     * beside it, given a new schema time if it is a collection, renamed over
     * it (its old WAL, which belongs to the old file, goes first).
     */
    private static void replaceSqlite(Path backup, Path target, boolean collection) throws IOException, SQLException {
        Path temp = target.resolveSibling(target.getFileName() + ".restore.tmp");
        Snapshots.deleteWithSidecars(temp);
        Files.copy(backup, temp, StandardCopyOption.REPLACE_EXISTING);
        if (collection) {
            try (Connection db = CollectionDatabase.open(temp)) {
                ColTable.restampFromBackup(db, System.currentTimeMillis());
                CollectionDatabase.checkpoint(db);
            }
        }
        Snapshots.force(temp);
        Files.deleteIfExists(Path.of(target + "-wal"));
        Files.deleteIfExists(Path.of(target + "-shm"));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Snapshots.deleteWithSidecars(temp);
    }

    /**
     * Makes {@code to} hold what {@code from} holds (one level of sub-folders,
     * as the media trash has): unchanged files (same size and time) are not
     * copied again; files gone from {@code from} go from {@code to}.
     */
    private static void mirror(Path from, Path to, Counter counter) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    continue; // something half-written by the server: not part of its state
                }
                present.add(name);
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    mirror(file, to.resolve(name), counter);
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    copyIfChanged(file, to.resolve(name), counter);
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(to)) {
            for (Path file : files) {
                if (!present.contains(file.getFileName().toString())) {
                    deleteTree(file);
                }
            }
        }
    }

    private static void copyIfChanged(Path from, Path to, Counter counter) throws IOException {
        long size = Files.size(from);
        FileTime time = Files.getLastModifiedTime(from);
        // milliseconds: a copy does not keep the nanoseconds on every file system
        if (Files.isRegularFile(to)
                && Files.size(to) == size
                && Files.getLastModifiedTime(to).toMillis() == time.toMillis()) {
            counter.unchanged();
            return;
        }
        Path temp = to.resolveSibling(".backup-" + to.getFileName() + ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        counter.copied(size);
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    /** Sub-folders that are user folders (valid user names), sorted. */
    private static List<String> users(Path root) throws IOException {
        List<String> users = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return users;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) && UserNames.isValid(name)) {
                    users.add(name);
                }
            }
        }
        users.sort(null);
        return users;
    }

    private static final class Counter {
        int copied;
        int unchanged;
        long bytes;

        void copied(long size) {
            copied++;
            bytes += size;
        }

        void unchanged() {
            unchanged++;
        }

        Report report(int users) {
            return new Report(users, copied, unchanged, bytes);
        }
    }
}
