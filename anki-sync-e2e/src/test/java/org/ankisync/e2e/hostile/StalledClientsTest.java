package org.ankisync.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-loris: clients that send headers and part of a body, then stall, are
 * cut off after the stall timeout, and more of them than there are worker
 * threads cannot keep the server from answering everyone else.
 */
class StalledClientsTest {
    private static final int STALLED = 100;

    @TempDir
    Path temp;

    @Test
    void stalledUploadsAreDroppedAndDoNotStarveOthers() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(
                temp.resolve("server"), "128m", Map.of("ANKISYNCD_STALL_TIMEOUT_SECONDS", "3"))) {
            RawSyncClient alice = new RawSyncClient(server.endpoint()).login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            int port = Integer.parseInt(server.endpoint().replaceAll(".*:(\\d+)/$", "$1"));
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /sync/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nanki-sync: " + alice.header(11)
                                    + "\r\nContent-Length: 1000\r\n\r\n{\"v\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    stalled.add(socket);
                }
                // Everyone else is still served: within the stall timeout plus a margin.
                long start = System.nanoTime();
                RawSyncClient.Reply meta = alice.post("sync/meta", "{\"v\":11,\"cv\":\"x\"}");
                assertEquals(200, meta.status());
                long waited = (System.nanoTime() - start) / 1_000_000;
                assertTrue(waited < 15_000, "a normal request waited " + waited + " ms behind stalled ones");

                // And each stalled connection was closed by the server, not left hanging.
                for (Socket socket : stalled) {
                    socket.setSoTimeout(20_000);
                    InputStream in = socket.getInputStream();
                    try {
                        byte[] reply = in.readAllBytes();
                        String text = new String(reply, StandardCharsets.US_ASCII);
                        assertTrue(reply.length == 0 || !text.startsWith("HTTP/1.1 5"), text);
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("a stalled connection was still open after 20 s", e);
                    } catch (SocketException reset) {
                        // closed by the server: what we want
                    }
                }
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
            assertTrue(server.isAlive());
        }
    }
}
