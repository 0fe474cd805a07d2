package org.ankisync.e2e.collection;

import java.nio.file.Path;
import org.ankisync.e2e.harness.OurServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3 scenarios 1-7 with the official client against our server. */
class CollectionSyncTest {
    @TempDir
    Path temp;
    private OurServer server;

    @BeforeEach
    void start() {
        server = OurServer.start(temp.resolve("server"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fullUploadThenFullDownloadGivesIdenticalDevices() {
        Scenarios.uploadThenDownload(server, temp);
    }

    @Test
    void incrementalChangesOnBothSidesConverge() {
        Scenarios.incrementalChanges(server, temp);
    }

    @Test
    void theLaterEditOfTheSameNoteWins() {
        Scenarios.sameNoteEditedOnBoth(server, temp);
    }

    @Test
    void aSchemaChangeTakesAFullSyncAndBothEndIdentical() {
        Scenarios.schemaChange(server, temp);
    }

    @Test
    void deletionsPropagateBothWays() {
        Scenarios.deletionsPropagate(server, temp);
    }
}
