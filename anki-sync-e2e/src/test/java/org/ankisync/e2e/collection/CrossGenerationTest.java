package org.ankisync.e2e.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.ankisync.e2e.harness.Device;
import org.ankisync.e2e.harness.Device.Counts;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.JvmDevice;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two client generations on one account through our server: the current
 * client from PyPI (26.9.3) and the 2.1.66 core that AnkiDroid shipped.
 */
class CrossGenerationTest {
    @TempDir
    Path temp;

    @Test
    void currentAndOldClientsShareOneCollection() {
        try (OurServer server = OurServer.start(temp.resolve("server"));
                PythonDevice current = Devices.loggedIn(server, temp.resolve("current"));
                Device old = JvmDevice.open(temp.resolve("old"))) {
            old.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            Scenarios.populate(current);
            assertEquals(
                    "full_upload", Devices.sync(current, null).get("performed").asText());

            assertEquals(SyncRequired.FULL_DOWNLOAD, old.sync());
            old.fullSync(false);
            assertEquals(current.counts(), old.counts());

            // The old client adds notes; a normal sync carries them to the current one.
            old.addBasicNotes(5, "From 2.1.66");
            assertEquals(SyncRequired.NO_CHANGES, old.sync());
            Devices.normalSync(current);
            assertEquals(205, current.counts().notes());

            // Reviews on the current client reach the old one.
            current.call("review", Map.of("count", 12, "deck", "Geography"));
            Devices.normalSync(current);
            assertEquals(SyncRequired.NO_CHANGES, old.sync());
            Counts expected = current.counts();
            assertEquals(expected, old.counts());
            assertEquals(12, expected.revlog());
        }
    }
}
