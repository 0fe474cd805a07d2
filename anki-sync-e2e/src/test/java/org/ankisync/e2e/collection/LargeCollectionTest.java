package org.ankisync.e2e.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 10: a 20,000-note collection uploads, downloads and then syncs
 * incrementally through our server running with a 256 MB heap ceiling. The
 * server runs with -XX:+ExitOnOutOfMemoryError, so running out of heap ends
 * the process and fails the test.
 */
class LargeCollectionTest {
    @TempDir
    Path temp;

    @Test
    void twentyThousandNotesSyncWithinA256MegabyteHeap() {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = Devices.loggedIn(server, temp.resolve("a"));
                PythonDevice b = Devices.loggedIn(server, temp.resolve("b"))) {
            a.call(
                    "add_notes",
                    Map.of(
                            "count",
                            20_000,
                            "deck",
                            "Big",
                            "fields",
                            List.of("front %d " + "x".repeat(200), "back %d " + "y".repeat(200))));
            assertEquals("full_upload", Devices.sync(a, null).get("performed").asText());
            assertEquals("full_download", Devices.sync(b, null).get("performed").asText());
            assertEquals(20_000, b.counts().notes());

            // An incremental sync that moves thousands of objects each way, in many chunks.
            List<Long> nids = PythonDevice.longs(a.run("result = sorted(col.find_notes(''))"));
            a.call("edit_notes", Map.of("nids", nids.subList(0, 6000)));
            a.call("review", Map.of("count", 300));
            b.call("edit_notes", Map.of("nids", nids.subList(10_000, 13_000), "suffix", " (B)"));
            Devices.settle(a, b);
            Devices.assertSameContent(a, b);
            assertTrue(server.isAlive(), "the server survived within -Xmx256m (see " + server.log() + ")");
        }
    }
}
