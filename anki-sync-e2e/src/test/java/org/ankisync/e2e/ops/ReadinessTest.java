package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, must-show 2: /ready turns 503 (naming what failed) when the
 * collections folder becomes read-only and when free space drops below the
 * floor, and 200 again after; /health stays 200 throughout. The collections
 * live on a real 48 MiB tmpfs with a floor of 24 MiB.
 */
class ReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void readyFollowsTheDiskWhileHealthStaysUp() throws Exception {
        Path data = temp.resolve("data");
        Mounts.tmpfs(data, 48);
        try {
            try (OurServerProcess server =
                            OurServerProcess.start(data, "256m", Map.of("ANKISYNCD_MIN_FREE_DISK_MB", "24"));
                    PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
                device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
                device.addBasicNotes(3, "Default");
                assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
                device.fullSync(true);
                assertReady(server, true, null);

                Path filler = data.resolve("filler.bin");
                try (OutputStream out = Files.newOutputStream(filler)) {
                    byte[] block = new byte[1024 * 1024];
                    for (int i = 0; i < 30; i++) {
                        out.write(block);
                    }
                }
                assertReady(server, false, "free disk space");
                Files.delete(filler);
                assertReady(server, true, null);

                Mounts.readOnly(data, true);
                try {
                    assertReady(server, false, "collections folder not writable");
                } finally {
                    Mounts.readOnly(data, false);
                }
                assertReady(server, true, null);
                device.call("review", Map.of("count", 2));
                assertEquals(SyncRequired.NO_CHANGES, device.sync(), "syncs work again");
            }
        } finally {
            Mounts.unmount(data);
        }
    }

    private static void assertReady(OurServerProcess server, boolean ready, String failure) throws Exception {
        HttpResponse<String> reply = Http.get(server.endpoint() + "ready");
        JsonNode body = JSON.readTree(reply.body());
        assertEquals(ready ? 200 : 503, reply.statusCode(), reply.body());
        assertEquals(ready, body.get("ready").asBoolean(), reply.body());
        if (!ready) {
            boolean named = false;
            for (JsonNode f : body.get("failed")) {
                named |= f.asText().startsWith(failure);
            }
            assertTrue(named, () -> "expected '" + failure + "' in " + reply.body());
        }
        assertEquals(200, Http.get(server.endpoint() + "health").statusCode(), "/health stays up");
    }
}
