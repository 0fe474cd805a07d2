package org.ankisync.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.UserHistory;
import org.ankisync.media.MediaSyncService;
import org.ankisync.media.trash.ExportMedia;
import org.ankisync.media.trash.MediaTrash;

/**
 * The history actions of the admin area: the same {@link UserHistory} and
 * {@link MediaSyncService} calls as the {@code snapshot} and {@code media trash}
 * command line, with their failures turned into statuses.
 */
public final class AdminHistory {
    /** How long a restore waits for a running sync of the user (the command line waits as long). */
    static final Duration BUSY_WAIT = Duration.ofMinutes(2);
    /** Who caused a restore or snapshot, in the snapshot's metadata. */
    static final String ACTOR = "ankisyncd-admin";

    private final UserHistory history;
    private final MediaSyncService media;

    public AdminHistory(UserHistory history, MediaSyncService media) {
        this.history = history;
        this.media = media;
    }

    /** The user's snapshots, newest first; empty if the user has no data yet. */
    public List<SnapshotInfo> snapshots(String user) {
        return call(() -> {
            try {
                List<SnapshotInfo> list = new ArrayList<>(history.list(user));
                Collections.reverse(list);
                return list;
            } catch (NoSuchFileException e) {
                return List.of();
            }
        });
    }

    /** A manual snapshot; empty if there is nothing to keep (no notes or reviews). */
    public Optional<SnapshotInfo> create(String user, String address) {
        return call(() -> history.create(user, ACTOR, address));
    }

    /** Puts a snapshot in place: every device then gets the full-sync choice. */
    public SnapshotInfo restore(String user, String id, String address) {
        return call(() -> {
            if (history.find(user, id).isEmpty()) {
                throw AdminException.notFound("user " + user + " has no snapshot " + id);
            }
            return history.restore(user, id, ACTOR, address, BUSY_WAIT);
        });
    }

    /** Writes the snapshot as a {@code .colpkg} to a new temporary file, which the caller deletes. */
    public Path export(String user, String id) {
        return call(() -> {
            if (history.find(user, id).isEmpty()) {
                throw AdminException.notFound("user " + user + " has no snapshot " + id);
            }
            Path file = Files.createTempFile("ankisyncd-export-", ".colpkg");
            // media from the sync routes' store: S3 objects are copied for the export, then removed
            try (ExportMedia.Staged mediaFiles = media.exportMedia(user)) {
                history.export(user, id, file, folder -> mediaFiles.files());
                return file;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        });
    }

    public List<MediaTrash.Entry> trash(String user) {
        return call(() -> {
            try {
                history.userFolder(user);
            } catch (NoSuchFileException e) {
                return List.of();
            }
            return media.trashList(user);
        });
    }

    /** Restores the named files (all if none); returns the names restored. */
    public List<String> restoreFromTrash(String user, List<String> names) {
        return call(() -> {
            history.userFolder(user);
            return media.restoreFromTrash(user, names);
        });
    }

    private interface Action<T> {
        T run() throws IOException, SQLException;
    }

    private static <T> T call(Action<T> action) {
        try {
            return action.run();
        } catch (NoSuchFileException e) {
            throw AdminException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new AdminException(409, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
