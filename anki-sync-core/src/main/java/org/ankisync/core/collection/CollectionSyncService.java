package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.http.SyncMethod;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.media.MediaSync;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.storage.NewCollectionFactory;
import org.ankisync.core.storage.schema18.NotetypeJson;

/**
 * The {@code /sync/*} methods for an authenticated user: sends each to its
 * {@link SyncStep}. Every step runs under the user's lock (an upload takes it
 * once its file is received; a download's reply keeps it until written);
 * the steps of a normal sync run inside the session {@code start} opened,
 * whose writes live in one transaction ({@link UserCollection#inSession}).
 */
public final class CollectionSyncService {
    private final ObjectMapper json;
    private final Clock clock;
    private final long maxUncompressedBytes;
    private final SyncObserver observer;
    private final Meta meta;
    private final Start start;
    private final ApplyGraves applyGraves = new ApplyGraves();
    private final ApplyChanges applyChanges;
    private final Chunk chunk = new Chunk();
    private final ApplyChunk applyChunk;
    private final SanityCheck sanityCheck;
    private final Finish finish;
    private final Abort abort;
    private final FullUpload upload;
    private final FullDownload download;

    public CollectionSyncService(
            ObjectMapper json,
            Clock clock,
            MediaSync media,
            long maxUncompressedBytes,
            AutomaticSnapshots snapshots,
            SyncObserver observer) {
        this.json = json;
        this.clock = clock;
        this.maxUncompressedBytes = maxUncompressedBytes;
        this.observer = observer;
        NewCollectionFactory newCollections = new NewCollectionFactory(clock);
        NotetypeJson notetypeJson = new NotetypeJson();
        this.meta = new Meta(clock, media, maxUncompressedBytes, newCollections, snapshots, observer);
        this.start = new Start(clock, newCollections, observer);
        this.applyChanges = new ApplyChanges(json, clock, notetypeJson);
        this.applyChunk = new ApplyChunk(new NotetypeShapes());
        this.sanityCheck = new SanityCheck(observer);
        this.finish = new Finish(clock, observer);
        this.abort = new Abort(observer);
        this.upload = new FullUpload(clock, maxUncompressedBytes, snapshots, observer);
        this.download = new FullDownload(clock, newCollections, observer);
    }

    /**
     * Handles one {@code /sync/<method>} call (not {@code hostKey}) for an authenticated user.
     * With {@code mayWait} false the user's lock is taken only if it is free at once, else
     * {@link org.ankisync.core.http.WouldWaitException} (see {@link org.ankisync.core.http.SyncCall#mayWait()}).
     */
    public SyncReply handle(
            SyncMethod method,
            UserCollection user,
            SyncRequest request,
            ReplyFramer framer,
            String remoteAddress,
            boolean mayWait)
            throws IOException, SQLException {
        SyncStep step = step(method);
        StepCall call = new StepCall(user, request, framer, remoteAddress, json, maxUncompressedBytes);
        if (method == SyncMethod.UPLOAD) {
            return step.handle(call);
        }
        try (UserCollection.Held lock = user.lock(observer, mayWait)) {
            user.expireIdleSession(clock.millis());
            SyncReply reply = method.needsSession() ? user.inSession(call, clock, observer, step) : step.handle(call);
            return method == SyncMethod.DOWNLOAD ? lock.keepUntilWritten(reply) : reply;
        }
    }

    private SyncStep step(SyncMethod method) {
        return switch (method) {
            case META -> meta;
            case START -> start;
            case APPLY_GRAVES -> applyGraves;
            case APPLY_CHANGES -> applyChanges;
            case CHUNK -> chunk;
            case APPLY_CHUNK -> applyChunk;
            case SANITY_CHECK -> sanityCheck;
            case FINISH -> finish;
            case ABORT -> abort;
            case UPLOAD -> upload;
            case DOWNLOAD -> download;
            case HOST_KEY -> throw new IllegalArgumentException("hostKey is the login's, not a collection step");
        };
    }

    /**
     * Another request of the user that is not a step of a collection sync (the
     * media sync after a collection sync): a {@code meta} still pending was a
     * sync without changes.
     */
    public void otherRequest(UserCollection user) {
        user.countPendingMeta(observer);
    }
}
