package org.ankisync.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.ankisync.core.config.HistorySettings;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.NewCollectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {
    @TempDir
    Path user;

    private final Clock clock = Clock.fixed(Instant.parse("2030-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private final Snapshots snapshots = new Snapshots(HistorySettings.defaults(), clock);

    private Path collectionWithReviews(int reviews) throws Exception {
        Path live = user.resolve(Snapshots.COLLECTION_FILE);
        new NewCollectionFactory(clock).create(live);
        try (Connection db = CollectionDatabase.open(live);
                Statement st = db.createStatement()) {
            for (int i = 1; i <= reviews; i++) {
                st.executeUpdate("insert into revlog values (" + i + ", 1, 0, 3, 1, 0, 2500, 1000, 1)");
            }
        }
        return live;
    }

    private static long count(Path file, String table) throws SQLException {
        try (Connection db = CollectionDatabase.open(file);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select count() from " + table)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static long scm(Path file) throws SQLException {
        try (Connection db = CollectionDatabase.open(file);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select scm from col")) {
            return rs.getLong(1);
        }
    }

    @Test
    void aCollectionWithoutNotesOrReviewsIsNotSnapshotted() throws Exception {
        collectionWithReviews(0);
        assertEquals(Optional.empty(), snapshots.take(user, SnapshotInfo.MANUAL, "", ""));
        assertEquals(List.of(), snapshots.list(user));
    }

    @Test
    void aSnapshotIsListedWithItsCountsAndRestoresWithANewSchemaTime() throws Exception {
        Path live = collectionWithReviews(3);
        SnapshotInfo taken = snapshots
                .take(user, SnapshotInfo.BEFORE_FULL_UPLOAD, "anki,26.9.3", "10.0.0.7")
                .orElseThrow();
        assertEquals("20300102-030405-678", taken.id());
        assertEquals(3, taken.revlog());
        assertEquals(List.of(taken), snapshots.list(user));
        assertTrue(
                taken.line().startsWith(taken.id() + "  2030-01-02T03:04:05.678Z  before-full-upload"), taken.line());

        long scmBefore = scm(live);
        try (Connection db = CollectionDatabase.open(live);
                Statement st = db.createStatement()) {
            st.executeUpdate("delete from revlog");
        }
        SnapshotInfo restored = snapshots.restore(user, taken.id(), "test", "local");
        assertEquals(taken, restored);
        assertEquals(3, count(live, "revlog"));
        assertNotEquals(scmBefore, scm(live), "a new schema time: devices must get the full-sync choice");
        // the state before the restore (no notes, no reviews) had nothing to keep; the original stays
        assertEquals(List.of(taken), snapshots.list(user));
    }

    @Test
    void aSnapshotWithoutMetadataIsNeverListedAndIsCleanedUp() throws Exception {
        collectionWithReviews(1);
        SnapshotInfo taken = snapshots.take(user, SnapshotInfo.MANUAL, "", "").orElseThrow();
        Path folder = user.resolve(Snapshots.FOLDER);
        Files.copy(
                folder.resolve(taken.id() + Snapshots.DATA_SUFFIX),
                folder.resolve("20300101-000000-000" + Snapshots.DATA_SUFFIX));
        Files.writeString(folder.resolve("20300101-000001-000.anki2.tmp"), "half");
        assertEquals(List.of(taken), snapshots.list(user));
        Snapshots later = new Snapshots(
                HistorySettings.defaults(), Clock.fixed(Instant.parse("2030-01-02T04:00:00Z"), ZoneOffset.UTC));
        later.take(user, SnapshotInfo.MANUAL, "", "");
        assertTrue(Files.notExists(folder.resolve("20300101-000000-000" + Snapshots.DATA_SUFFIX)));
        assertTrue(Files.notExists(folder.resolve("20300101-000001-000.anki2.tmp")));
    }

    @Test
    void unknownOrMalformedIdsAreRefused() throws Exception {
        collectionWithReviews(1);
        assertThrows(NoSuchFileException.class, () -> snapshots.restore(user, "20300101-000000-000", "", ""));
        assertThrows(NoSuchFileException.class, () -> snapshots.restore(user, "../../etc/passwd", "", ""));
    }
}
