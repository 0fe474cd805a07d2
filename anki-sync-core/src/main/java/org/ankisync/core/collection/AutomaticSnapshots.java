package org.ankisync.core.collection;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.Snapshots;
import org.ankisync.core.http.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots the server takes by itself: before a full upload replaces a
 * collection (in the upload's request, under its lock: the upload waits, and
 * is refused if the snapshot cannot be taken, so nothing is ever replaced
 * without a copy), and the daily one, queued by the first {@code meta} of the
 * day and taken on one background thread under the user's lock, so that the
 * {@code meta} reply does not wait for it.
 */
public final class AutomaticSnapshots implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutomaticSnapshots.class);
    private final Snapshots snapshots;
    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ankisyncd-daily-snapshots");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    public AutomaticSnapshots(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    public Snapshots snapshots() {
        return snapshots;
    }

    /** Before a full upload; the caller holds the user's lock. */
    void beforeFullUpload(UserCollection user, String clientVersion, String address) {
        if (!snapshots.settings().snapshots()) {
            return;
        }
        try {
            snapshots.take(user.folder(), SnapshotInfo.BEFORE_FULL_UPLOAD, clientVersion, address);
        } catch (IOException | SQLException | RuntimeException e) {
            throw SyncException.internal("snapshot before full upload failed, upload refused: " + e.getMessage(), e);
        }
    }

    /** After a {@code meta}: queues the day's snapshot if the user has none from today. */
    void afterMeta(UserCollection user, String clientVersion, String address) {
        if (!snapshots.dailyDue(user.folder()) || !queued.add(user.username())) {
            return;
        }
        try {
            background.execute(() -> {
                user.acquire();
                try {
                    if (snapshots.dailyDue(user.folder())) {
                        user.closeIdle();
                        snapshots.take(user.folder(), SnapshotInfo.DAILY, clientVersion, address);
                        snapshots.dailyDone(user.folder()); // also when there was nothing to keep
                    }
                } catch (IOException | SQLException | RuntimeException e) {
                    LOG.warn("daily snapshot of {} failed: {}", user.username(), e.getMessage());
                } finally {
                    user.release();
                    queued.remove(user.username());
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(user.username()); // shutting down
        }
    }

    /** Lets a running snapshot finish (briefly), drops queued ones. */
    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
