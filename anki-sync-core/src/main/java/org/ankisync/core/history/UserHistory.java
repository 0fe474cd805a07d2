package org.ankisync.core.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.config.HistorySettings;

/**
 * The snapshot actions on one user's folder, as the {@code snapshot} command line
 * and the admin pages perform them: list, create, restore (waiting for a running
 * sync), export as {@code .colpkg}. Each change takes the user's folder lock, which
 * the server honours, so they work while it runs.
 */
public final class UserHistory {
    private final Path collectionsPath;
    private final Snapshots snapshots;

    public UserHistory(Path collectionsPath, HistorySettings settings, Clock clock) {
        this.collectionsPath = collectionsPath;
        this.snapshots = new Snapshots(settings, clock);
    }

    /** The user's folder below the collections path; a user name cannot reach outside it. */
    public Path userFolder(String user) throws NoSuchFileException {
        if (!UserNames.isValid(user)) {
            throw new IllegalArgumentException("not a valid user name: " + user);
        }
        Path root = collectionsPath.toAbsolutePath().normalize();
        Path folder = root.resolve(user).normalize();
        if (!root.equals(folder.getParent())) {
            throw new IllegalArgumentException("not a valid user name: " + user);
        }
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException("no data for user " + user + " in " + root);
        }
        return folder;
    }

    /** The user's snapshots, oldest first. */
    public List<SnapshotInfo> list(String user) throws IOException {
        return snapshots.list(userFolder(user));
    }

    public Optional<SnapshotInfo> find(String user, String id) throws IOException {
        return Snapshots.isId(id) ? snapshots.find(userFolder(user), id) : Optional.empty();
    }

    /** Takes a {@code manual} snapshot now; empty if the collection has no notes or reviews. */
    @SuppressWarnings("try") // the resource is a lock, held for the whole block
    public Optional<SnapshotInfo> create(String user, String clientVersion, String address)
            throws IOException, SQLException {
        Path folder = userFolder(user);
        try (UserFolderLock.Held lock = UserFolderLock.acquire(folder, UserFolderLock.Part.COLLECTION)) {
            return snapshots.take(folder, SnapshotInfo.MANUAL, clientVersion, address);
        }
    }

    /**
     * Puts a snapshot in place (after a {@code before-restore} snapshot of the current state).
     * A sync that holds a write transaction open makes it wait, without holding the lock,
     * and retry, for at most {@code busyWait}.
     */
    @SuppressWarnings("try") // the resource is a lock, held for the whole block
    public SnapshotInfo restore(String user, String id, String clientVersion, String address, Duration busyWait)
            throws IOException, SQLException {
        Path folder = userFolder(user);
        long deadline = System.nanoTime() + busyWait.toNanos();
        while (true) {
            try (UserFolderLock.Held lock = UserFolderLock.acquire(folder, UserFolderLock.Part.COLLECTION)) {
                return snapshots.restore(folder, id, clientVersion, address);
            } catch (Snapshots.CollectionBusyException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a sync of this user kept the collection busy for "
                            + busyWait.toSeconds() + " s; try again: " + e.getMessage());
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    /**
     * Writes the snapshot as an Anki collection package to {@code target} (replaced if it
     * exists) with the media files {@code media} lists for the user's folder (the media
     * module's {@code ExportMedia::of}: current media plus the trash); returns their number.
     */
    public int export(String user, String id, Path target, Function<Path, List<Path>> media) throws IOException {
        Path folder = userFolder(user);
        if (!Snapshots.isId(id) || snapshots.find(folder, id).isEmpty()) {
            throw new NoSuchFileException("no snapshot " + id);
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path collection = Files.createTempFile(parent, ".export-", ".anki2");
        try {
            Files.delete(collection);
            snapshots.decompress(folder, id, collection);
            return ColpkgWriter.write(collection, media.apply(folder), target);
        } finally {
            Files.deleteIfExists(collection);
        }
    }
}
