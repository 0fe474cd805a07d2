package org.ankisync.e2e.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.ServerContent;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media sync through the launcher jar in its own process: an upload broken off
 * by killing the server loses nothing it acknowledged, and 100 MB of media
 * goes up and down within a 256 MB heap.
 */
class MediaResilienceTest {
    @TempDir
    Path temp;

    private static List<Map<String, Object>> files(int count, int size, String prefix) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(Map.of("name", prefix + i + ".bin", "size", size, "seed", prefix + i));
        }
        return files;
    }

    private static PythonDevice device(OurServerProcess server, Path folder) {
        PythonDevice device = PythonDevice.open(folder);
        device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
        return device;
    }

    @Test
    void anUploadInterruptedByACrashLosesNothingAcknowledged() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = device(server, temp.resolve("a"))) {
            a.call("add_media", Map.of("files", files(120, 400_000, "crash-")));
            // Start the background media sync and kill the server once part of it has arrived.
            a.run("col.sync_media(device.auth)");
            Path mediaFolder = server.dataDir().resolve(TestUsers.ALICE).resolve("media");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (countFiles(mediaFolder) < 30 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            server.kill();
            int onDiskAtCrash = countFiles(mediaFolder);
            assertTrue(onDiskAtCrash >= 25 && onDiskAtCrash < 120, "killed midway: " + onDiskAtCrash + " files");
            String outcome = a.run("try:\n    device.wait_for_media()\n    result = 'finished'\n"
                            + "except Exception as e:\n    result = type(e).__name__")
                    .asText();
            assertNotEquals("finished", outcome, "the client noticed the crash");

            // Every file the server's database lists is on disk with the recorded checksum,
            // and the client's acknowledged usn is not ahead of the server.
            int serverUsn = ServerContent.checkMedia(server.dataDir().resolve(TestUsers.ALICE));
            JsonNode clientState = a.call("media_state");
            assertTrue(clientState.get("last_usn").asInt() <= serverUsn, clientState + " vs server " + serverUsn);

            server.restart();
            a.call("sync_media");
            try (PythonDevice b = device(server, temp.resolve("b"))) {
                b.call("sync_media");
                assertEquals(a.dump().get("media"), b.dump().get("media"));
                assertEquals(120, b.dump().get("media").size());
                assertEquals(
                        a.call("media_state").get("last_usn"),
                        b.call("media_state").get("last_usn"));
            }
            assertEquals(120, ServerContent.checkMedia(server.dataDir().resolve(TestUsers.ALICE)));
        }
    }

    @Test
    void oneHundredMegabytesOfMediaWithinA256MegabyteHeap() {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
                PythonDevice a = device(server, temp.resolve("a"));
                PythonDevice b = device(server, temp.resolve("b"))) {
            List<Map<String, Object>> big = new ArrayList<>(files(390, 250_000, "bulk-"));
            big.add(Map.of("name", "large.bin", "size", 8_000_000, "seed", "large"));
            a.call("add_media", Map.of("files", big));
            a.call("sync_media");
            b.call("sync_media");
            JsonNode media = b.dump().get("media");
            assertEquals(391, media.size());
            assertEquals(a.dump().get("media"), media);
            assertTrue(server.isAlive(), "the server stayed within -Xmx256m (see " + server.log() + ")");
        }
    }

    private static int countFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".bin"))
                    .count();
        }
    }
}
