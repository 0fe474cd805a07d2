package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, must-show 3: SIGTERM while the official client uploads a large
 * collection, and while it runs a normal sync. The process exits 0 within the
 * deadline; the server's collection is then exactly the state before or the
 * state after the sync (never a mix); and the client's next sync succeeds.
 */
class GracefulShutdownTest {
    private static final int DEADLINE_SECONDS = 20;
    /** The deadline, plus time to roll back, close the databases and end the JVM. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(DEADLINE_SECONDS + 10);

    private static final Map<String, String> SETTINGS =
            Map.of("ANKISYNCD_SHUTDOWN_TIMEOUT_SECONDS", Integer.toString(DEADLINE_SECONDS));

    @TempDir
    Path temp;

    @Test
    void sigtermWhenIdleRunsTheShutdownToItsEndAndWritesEveryAccessLine() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("data"), "256m", SETTINGS)) {
            HttpClient http = HttpClient.newHttpClient();
            String id = http.send(
                            HttpRequest.newBuilder(URI.create(server.endpoint() + "health"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .headers()
                    .firstValue("X-Request-Id")
                    .orElseThrow();
            assertEquals(0, server.terminate(EXIT_WITHIN), "exit status after SIGTERM");
            assertShutdownRanToItsEnd(server);
            assertTrue(Files.readString(server.log()).contains("GET /health"), "the last request's access line");
            assertTrue(Files.readString(server.log()).contains("id=" + id), "the last request's access line");
        }
    }

    @Test
    void sigtermDuringALargeFullUpload() throws Exception {
        Path data = temp.resolve("data");
        try (OurServerProcess server = OurServerProcess.start(data, "256m", SETTINGS);
                PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            // About 60 MB of note text that does not compress well: an upload that takes a moment.
            device.addBasicNotes(2000, "Big");
            device.run("import os\n"
                    + "for nid in col.find_notes(''):\n"
                    + "    col.db.execute('update notes set flds = ? where id = ?', os.urandom(15000).hex()"
                    + " + '\\x1fback', nid)\n"
                    + "result = True");
            assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
            long before = notes(server);
            assertEquals(0, before, "the server holds a new, empty collection");

            Path userFolder = data.resolve(TestUsers.ALICE);
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> device.fullSync(true));
            awaitOrFail(() -> hasUploadInProgress(userFolder) || upload.isDone(), "the upload to begin");
            assertTrue(!upload.isDone(), "the upload finished before SIGTERM could be sent; make it larger");
            long start = System.nanoTime();
            int exit = server.terminate(EXIT_WITHIN);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, exit, "exit status after SIGTERM during the upload");
            assertShutdownRanToItsEnd(server);
            assertTrue(elapsed < EXIT_WITHIN.toMillis(), "exited after " + elapsed + " ms");
            boolean clientSucceeded = finish(upload);
            System.out.println("SIGTERM during a full upload: exit " + exit + " after " + elapsed
                    + " ms; the client's upload " + (clientSucceeded ? "succeeded" : "failed"));

            server.restart();
            long after = notes(server);
            assertTrue(after == 0 || after == 2000, "before- or after-state, got " + after + " notes");
            if (clientSucceeded) {
                assertEquals(2000, after, "the client saw its upload succeed");
            }
            // The next sync succeeds (uploading now if the first upload was cut off).
            device.syncWithFull("upload", false);
            assertEquals(SyncRequired.NO_CHANGES, device.sync());
            assertEquals(2000, notes(server));
        }
    }

    @Test
    void sigtermDuringANormalSync() throws Exception {
        Path data = temp.resolve("data");
        try (OurServerProcess server = OurServerProcess.start(data, "256m", SETTINGS);
                PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            device.addBasicNotes(3000, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
            device.fullSync(true);
            long revlogBefore = revlog(server);
            device.call("review", Map.of("count", 1500));
            device.run("nids = col.find_notes('')\n"
                    + "for nid in nids[:1500]:\n"
                    + "    n = col.get_note(nid)\n"
                    + "    n['Back'] = n['Back'] + ' edited'\n"
                    + "    col.update_note(n)\n"
                    + "result = True");
            // The review command reviews what is due (new cards are limited per day), so count what it did.
            long revlogOnDevice = device.counts().revlog();
            assertTrue(revlogOnDevice > revlogBefore, "the device has new reviews");
            long startLines = accessLines(server, "/sync/start");

            CompletableFuture<Void> sync = CompletableFuture.runAsync(device::sync);
            awaitOrFail(
                    () -> accessLines(server, "/sync/start") > startLines || sync.isDone(), "the normal sync to start");
            long start = System.nanoTime();
            int exit = server.terminate(EXIT_WITHIN);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, exit, "exit status after SIGTERM during a normal sync");
            assertShutdownRanToItsEnd(server);
            boolean clientSucceeded = finish(sync);
            System.out.println("SIGTERM during a normal sync: exit " + exit + " after " + elapsed
                    + " ms; the client's sync " + (clientSucceeded ? "succeeded" : "failed"));

            server.restart();
            long revlogAfter = revlog(server);
            assertTrue(
                    revlogAfter == revlogBefore || revlogAfter == revlogOnDevice,
                    "before- or after-state: " + revlogBefore + " reviews before, " + revlogAfter + " now");
            if (clientSucceeded) {
                assertEquals(revlogOnDevice, revlogAfter, "the client saw its sync succeed");
            }
            device.syncWithFull("upload", false);
            assertEquals(SyncRequired.NO_CHANGES, device.sync());
            assertEquals(revlogOnDevice, revlog(server), "the next sync brought the reviews");
        }
    }

    /** Waits for the client's call; true if it succeeded, false if it failed (the server went away). */
    private static boolean finish(CompletableFuture<Void> call) throws InterruptedException {
        try {
            call.get(120, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (TimeoutException e) {
            throw new AssertionError("the client's call did not end after the server stopped", e);
        }
    }

    private static boolean hasUploadInProgress(Path userFolder) {
        if (!Files.isDirectory(userFolder)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(userFolder, "upload-*.tmp")) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The shutdown's last line is in the log: the JVM did not end half-way (it did
     * once, when the thread running the shutdown was a daemon and the server's own
     * threads had stopped), and the queued access lines were written before it.
     */
    private static void assertShutdownRanToItsEnd(OurServerProcess server) throws IOException {
        String log = Files.readString(server.log());
        assertTrue(log.contains("INFO org.ankisync.undertow.UndertowSyncServer - stopped after "), log);
    }

    private static long accessLines(OurServerProcess server, String route) {
        try {
            return Files.readAllLines(server.log()).stream()
                    .filter(l -> l.contains("ankisyncd.access - POST " + route + " "))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void awaitOrFail(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static long notes(OurServerProcess server) throws SQLException {
        return count(server, "select count() from notes");
    }

    private static long revlog(OurServerProcess server) throws SQLException {
        return count(server, "select count() from revlog");
    }

    private static long count(OurServerProcess server, String query) throws SQLException {
        Path file = server.dataDir().resolve(TestUsers.ALICE).resolve("collection.anki2");
        if (!Files.exists(file)) {
            return 0;
        }
        try (Connection db = CollectionDatabase.open(file);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
