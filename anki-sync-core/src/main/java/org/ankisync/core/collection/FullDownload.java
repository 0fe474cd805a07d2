package org.ankisync.core.collection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.ops.SyncObserver;
import org.ankisync.core.ops.SyncOutcome;
import org.ankisync.core.storage.NewCollectionFactory;

/**
 * {@code download}: the whole collection, streamed. Runs with the user's lock
 * held, and the reply keeps it until written (see {@link CollectionSyncService}).
 */
final class FullDownload implements SyncStep {
    private final Clock clock;
    private final NewCollectionFactory newCollections;
    private final SyncObserver observer;

    FullDownload(Clock clock, NewCollectionFactory newCollections, SyncObserver observer) {
        this.clock = clock;
        this.newCollections = newCollections;
        this.observer = observer;
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        UserCollection user = call.user;
        user.takePendingMeta();
        call.body();
        user.abortSession();
        user.ensureExists(newCollections);
        user.closeIdle();
        long size = FullSync.prepareDownload(user.file(), clock.millis());
        if (call.request.legacy()) {
            // Legacy clients only read schema 11: send a downgraded copy, keep the stored file at 18.
            Path copy = FullSync.schema11Copy(user.file());
            return call.stream(Files.size(copy), out -> {
                        try (InputStream in = Files.newInputStream(copy)) {
                            in.transferTo(out);
                        }
                        observer.syncCompleted(SyncOutcome.FULL_DOWNLOAD);
                    })
                    .whenComplete(() -> FullSync.deleteWithSidecars(copy));
        }
        return call.stream(size, out -> {
            try (InputStream in = Files.newInputStream(user.file())) {
                in.transferTo(out);
            }
            // Counted once the last byte is out: a download the client broke off is not one.
            observer.syncCompleted(SyncOutcome.FULL_DOWNLOAD);
        });
    }
}
