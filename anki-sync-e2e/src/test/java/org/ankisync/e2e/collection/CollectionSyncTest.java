package org.ankisync.e2e.collection;

import java.nio.file.Path;
import org.ankisync.e2e.harness.OurServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3 scenarios 1-7 with the official client against our server. */
class CollectionSyncTest {
    @TempDir
    Path temp;

    @RegisterExtension
    final OurServerExtension ours = new OurServerExtension();

    @Test
    void fullUploadThenFullDownloadGivesIdenticalDevices() {
        Scenarios.uploadThenDownload(ours.server(), temp);
    }

    @Test
    void incrementalChangesOnBothSidesConverge() {
        Scenarios.incrementalChanges(ours.server(), temp);
    }

    @Test
    void theLaterEditOfTheSameNoteWins() {
        Scenarios.sameNoteEditedOnBoth(ours.server(), temp);
    }

    @Test
    void aSchemaChangeTakesAFullSyncAndBothEndIdentical() {
        Scenarios.schemaChange(ours.server(), temp);
    }

    @Test
    void deletionsPropagateBothWays() {
        Scenarios.deletionsPropagate(ours.server(), temp);
    }
}
