package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.Snapshots;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.http.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots the server takes by itself: before a full upload replaces a
 * collection (in the upload's request, under its lock: the upload waits, and
 * is refused if the snapshot cannot be taken, so nothing is ever replaced
 * without a copy), and the daily one, queued by the first {@code meta} of the
 * day and taken on one background thread under the user's lock.
 *
 * <p>The daily snapshot stays off the sync's path: it is tried a few seconds
 * after the {@code meta} ({@link #SETTLE}), when that sync is normally over,
 * and only if the user's lock is free and no sync of the user is between its
 * steps; otherwise it is tried again a second later. So a sync never waits
 * for it, and the users who start their day at the same time do not wait for
 * each other's snapshots in one queue. A user kept busy for longer than
 * {@link #PATIENCE} gets it the old way, waiting for the lock (consistency
 * does not depend on it: {@code VACUUM INTO} reads one committed state even
 * while a sync holds an open transaction). The queue holds at most one entry
 * per user.
 */
public final class AutomaticSnapshots implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutomaticSnapshots.class);
    /** After the {@code meta}: a sync's remaining steps normally take well under a second. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    /** Between tries while the user is busy. */
    static final Duration RETRY = Duration.ofSeconds(1);
    /** How long the snapshot gives way to the user's syncs before it waits for the lock. */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private final Snapshots snapshots;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
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
            take(user, SnapshotInfo.BEFORE_FULL_UPLOAD, clientVersion, address);
        } catch (IOException | SQLException | RuntimeException e) {
            throw SyncException.internal("snapshot before full upload failed, upload refused: " + e.getMessage(), e);
        }
    }

    /** After a {@code meta}: queues the day's snapshot if the user has none from today. */
    void afterMeta(UserCollection user, String clientVersion, String address) {
        if (!snapshots.dailyDue(user.folder()) || !queued.add(user.username())) {
            return;
        }
        long giveWayUntil = System.nanoTime() + SETTLE.plus(PATIENCE).toNanos();
        schedule(() -> daily(user, clientVersion, address, giveWayUntil), SETTLE);
    }

    private void schedule(Runnable attempt, Duration delay) {
        try {
            background.schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the snapshot is dropped, the next day's first sync takes one
        }
    }

    /** One try at the daily snapshot; reschedules itself while the user is busy and patience lasts. */
    private void daily(UserCollection user, String clientVersion, String address, long giveWayUntil) {
        boolean patient = System.nanoTime() < giveWayUntil;
        if (patient && !user.tryAcquireInProcess()) {
            schedule(() -> daily(user, clientVersion, address, giveWayUntil), RETRY);
            return;
        }
        if (!patient) {
            user.tryAcquireInProcess(Long.MAX_VALUE);
        }
        boolean again = false;
        try {
            if (patient && user.hasSession()) {
                again = true; // a sync between its steps: let it finish first
                return;
            }
            try (UserFolderLock.Held held = UserFolderLock.acquire(user.folder(), UserFolderLock.Part.COLLECTION)) {
                if (snapshots.dailyDue(user.folder())) {
                    take(user, SnapshotInfo.DAILY, clientVersion, address);
                    snapshots.dailyDone(user.folder()); // also when there was nothing to keep
                }
            }
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warn("daily snapshot of {} failed: {}", user.username(), e.getMessage());
        } finally {
            user.releaseInProcess();
            if (again) {
                schedule(() -> daily(user, clientVersion, address, giveWayUntil), RETRY);
            } else {
                queued.remove(user.username());
            }
        }
    }

    /**
     * Takes a snapshot through the user's kept connection (the caller holds the lock):
     * opening one for it cost a schema parse, and the next request reopened the collection.
     */
    private void take(UserCollection user, String reason, String clientVersion, String address)
            throws IOException, SQLException {
        if (!Files.isRegularFile(user.file())) {
            return; // nothing to keep
        }
        Connection db = user.open();
        try {
            snapshots.take(user.folder(), db, reason, clientVersion, address);
        } finally {
            user.giveBack(db);
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
