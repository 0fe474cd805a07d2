package org.ankisync.core.collection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code upload}: a whole collection replaces the user's. The file is
 * received and checked before the user's lock is taken (a slow upload holds
 * up nobody); only the swap runs under it.
 */
final class FullUpload implements SyncStep {
    private static final Logger LOG = LoggerFactory.getLogger(FullUpload.class);

    private final Clock clock;
    private final long maxUncompressedBytes;
    private final AutomaticSnapshots snapshots;
    private final SyncObserver observer;

    FullUpload(Clock clock, long maxUncompressedBytes, AutomaticSnapshots snapshots, SyncObserver observer) {
        this.clock = clock;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.snapshots = snapshots;
        this.observer = observer;
    }

    /** Called without the user's lock. */
    @Override
    public SyncReply handle(StepCall call) throws IOException {
        UserCollection user = call.user;
        user.takePendingMeta();
        FullSync.ReceivedUpload received;
        try {
            received = FullSync.receive(user.folder(), call.request.payload(), maxUncompressedBytes, clock.millis());
        } catch (IOException e) {
            observer.syncCompleted(SyncOutcome.FAILED);
            throw e;
        }
        if (!received.accepted()) {
            observer.syncCompleted(SyncOutcome.FAILED);
            return call.bytes(received.refusal().getBytes(StandardCharsets.UTF_8));
        }
        try {
            install(call, received);
        } catch (IOException e) {
            observer.syncCompleted(SyncOutcome.FAILED);
            throw e;
        }
        observer.syncCompleted(SyncOutcome.FULL_UPLOAD);
        return call.bytes(FullSync.OK.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the live collection under the user's lock, after a snapshot of it
     * (a snapshot that fails refuses the upload); the upload is deleted if it is not installed.
     */
    @SuppressWarnings("try") // the resource is a lock, held for the whole block
    private void install(StepCall call, FullSync.ReceivedUpload received) throws IOException {
        UserCollection user = call.user;
        boolean installed = false;
        try (UserCollection.Held lock = user.lock(observer)) {
            user.abortSession();
            snapshots.beforeFullUpload(user, call.request.clientVersion(), call.remoteAddress);
            user.closeIdle(); // before the file is replaced
            FullSync.install(received.file(), user.file());
            installed = true;
            LOG.info("full upload for {} installed", user.username());
        } finally {
            if (!installed) {
                FullSync.deleteWithSidecars(received.file());
            }
        }
    }
}
