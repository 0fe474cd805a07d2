package org.ankisync.e2e.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Races: one user's devices syncing at the same moment, and many users at once. */
class ConcurrentSyncTest {
    @TempDir
    Path temp;

    /**
     * Two devices of one user sync at the same moment, 100 rounds, with
     * reviews in between. Each sync completes or fails with the official
     * conflict status; after every round the server holds exactly the reviews
     * some client saw acknowledged (no half-merged session); at the end both
     * devices are identical.
     */
    @Test
    void twoDevicesOfOneUserRacingNeverLeaveAHalfMergedServer() throws Exception {
        int rounds = Integer.getInteger("ankisync.race.rounds", 100);
        Map<String, Integer> outcomes = new HashMap<>();
        try (OurServer server = OurServer.start(temp.resolve("server"));
                PythonDevice a = PythonDevice.open(temp.resolve("a"));
                PythonDevice b = PythonDevice.open(temp.resolve("b"))) {
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            b.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            a.call("add_notes", Map.of("count", 400, "deck", "Race"));
            a.syncWithFull("upload", false);
            b.syncWithFull("download", false);
            // Enough new cards a day that every round has a review on each device.
            a.run("c = col.decks.get_config(1); c['new']['perDay'] = 9999; col.decks.update_config(c)");
            a.syncWithFull(null, false);
            b.syncWithFull(null, false);
            int reviews = 0;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < rounds; round++) {
                    reviews +=
                            a.call("review", Map.of("count", 1, "deck", "Race")).size();
                    reviews +=
                            b.call("review", Map.of("count", 1, "deck", "Race")).size();
                    Future<String> syncA = pool.submit(() -> raceSync(a));
                    Future<String> syncB = pool.submit(() -> raceSync(b));
                    String key = syncA.get(120, TimeUnit.SECONDS) + "/" + syncB.get(120, TimeUnit.SECONDS);
                    outcomes.merge(key, 1, Integer::sum);
                    Set<Long> acknowledged = syncedRevlog(a);
                    acknowledged.addAll(syncedRevlog(b));
                    assertEquals(acknowledged, serverRevlog(server), "round " + round + ": " + key);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < 2; i++) {
                a.syncWithFull(null, false);
                b.syncWithFull(null, false);
            }
            assertEquals(a.call("summary"), b.call("summary"));
            assertEquals(2 * rounds, reviews);
            assertEquals(reviews, a.counts().revlog());
            assertEquals(reviews, serverRevlog(server).size());
        }
        System.out.println("two devices racing, " + rounds + " rounds, outcomes (A/B): " + outcomes);
    }

    /** One normal sync; "ok", or "conflict" when the other device's sync got in the way. */
    private static String raceSync(PythonDevice device) {
        try {
            JsonNode out = device.syncWithFull(null, false);
            assertEquals("none_or_normal", out.get("performed").asText(), out.toString());
            return "ok";
        } catch (DeviceException e) {
            assertEquals("SyncError", e.errorType(), e.getMessage());
            assertFalse(e.isAuthFailure(), e.getMessage());
            assertTrue(e.getMessage().contains("Only one copy of Anki can sync"), e.getMessage());
            return "conflict";
        }
    }

    private static Set<Long> syncedRevlog(PythonDevice device) {
        return new HashSet<>(
                PythonDevice.longs(device.run("result = col.db.list('select id from revlog where usn != -1')")));
    }

    private static Set<Long> serverRevlog(OurServer server) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection db = CollectionDatabase.open(
                        server.dataDir().resolve(TestUsers.ALICE).resolve("collection.anki2"));
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select id from revlog")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * Twenty users at once, while a twenty-first user's download is held
     * half-read (which keeps that user's lock): every other user's sync
     * completes meanwhile, and only the held user's own next request waits.
     */
    @Test
    void usersNeverWaitForAnotherUsersLock() throws Exception {
        Map<String, String> users = new HashMap<>();
        for (int i = 3; i <= 22; i++) {
            users.put("SYNC_USER" + i, "user" + i + ":pw" + i);
        }
        try (OurServer server = OurServer.start(temp.resolve("server"), users);
                PythonDevice holder = PythonDevice.open(temp.resolve("holder"))) {
            // A collection large enough that its download cannot sit in socket buffers.
            holder.login(server.endpoint(), TestUsers.BOB, TestUsers.BOB_PASSWORD);
            holder.run("import os, base64\nfrom anki.collection import AddNoteRequest\n"
                    + "m = col.models.by_name('Basic'); reqs = []\n"
                    + "for i in range(4000):\n"
                    + "    n = col.new_note(m); n['Front'] = base64.b64encode(os.urandom(6000)).decode()\n"
                    + "    reqs.append(AddNoteRequest(note=n, deck_id=1))\n"
                    + "col.add_notes(reqs)");
            holder.syncWithFull("upload", false);

            RawSyncClient bob = new RawSyncClient(server.endpoint()).login(TestUsers.BOB, TestUsers.BOB_PASSWORD);
            try (Socket held = new Socket(InetAddress.getLoopbackAddress(), port(server))) {
                startDownload(held, bob.header(11));
                InputStream in = held.getInputStream();
                assertTrue(new String(in.readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));

                // Bob's own next request must wait for his lock...
                CompletableFuture<Integer> bobsMeta = CompletableFuture.supplyAsync(
                        () -> bob.post("sync/meta", "{\"v\":11,\"cv\":\"x\"}").status());
                // ...while twenty other users sync at once.
                ExecutorService pool = Executors.newFixedThreadPool(20);
                List<Future<Long>> syncs = new ArrayList<>();
                for (int i = 3; i <= 22; i++) {
                    int n = i;
                    syncs.add(pool.submit(() -> timedUserSync(server, n)));
                }
                List<Long> millis = new ArrayList<>();
                for (Future<Long> sync : syncs) {
                    millis.add(sync.get(300, TimeUnit.SECONDS));
                }
                pool.shutdown();
                assertFalse(bobsMeta.isDone(), "bob's second request waited for his own lock");
                in.readAllBytes();
                assertEquals(200, bobsMeta.get(60, TimeUnit.SECONDS));
                millis.sort(Long::compare);
                System.out.println("20 users synced while another user's lock was held; per-user sync ms: " + millis);
            }
        }
    }

    private static long timedUserSync(OurServer server, int n) {
        long start = System.nanoTime();
        try (PythonDevice device = PythonDevice.open(server.dataDir().resolveSibling("user" + n))) {
            device.login(server.endpoint(), "user" + n, "pw" + n);
            device.call("add_notes", Map.of("count", 20, "deck", "U" + n));
            assertEquals(
                    "full_upload",
                    device.syncWithFull(null, false).get("performed").asText());
            device.call("review", Map.of("count", 3, "deck", "U" + n));
            assertEquals(
                    "none_or_normal",
                    device.syncWithFull(null, false).get("performed").asText());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static int port(OurServer server) {
        String endpoint = server.endpoint();
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1, endpoint.length() - 1));
    }

    private static void startDownload(Socket socket, String syncHeader) throws Exception {
        byte[] body = Zstd.compress("{}".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("POST /sync/download HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nanki-sync: "
                        + syncHeader + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.write(body);
        OutputStream out = socket.getOutputStream();
        out.write(request.toByteArray());
        out.flush();
    }
}
