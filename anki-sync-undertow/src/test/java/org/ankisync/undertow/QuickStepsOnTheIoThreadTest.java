package org.ankisync.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ankisync.core.SyncServer;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.ops.CompletedRequest;
import org.ankisync.core.ops.SyncObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code quickStepsWithoutWaiting}, the quick steps of a sync are answered
 * on the I/O thread that read them, the rest on workers; and a user whose lock
 * is taken has the step answered by a worker once it is free, while the one
 * I/O thread goes on serving everybody else meanwhile.
 */
@Timeout(60)
class QuickStepsOnTheIoThreadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** The thread that answered each request, by request id. */
    private final Map<String, String> answeredOn = new ConcurrentHashMap<>();

    private SyncServer sync;
    private Undertow undertow;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;

    @AfterEach
    void stop() {
        if (undertow != null) {
            undertow.stop();
        }
        if (sync != null) {
            sync.close();
        }
    }

    private void start(boolean quickStepsWithoutWaiting) {
        TwoUsers users = new TwoUsers();
        sync = SyncServer.builder(ServerConfig.defaults().withCollectionsPath(temp))
                .users(users)
                .hostKeys(users)
                .quickStepsWithoutWaiting(quickStepsWithoutWaiting)
                .observer(new SyncObserver() {
                    @Override
                    public void requestCompleted(CompletedRequest request) {
                        answeredOn.put(
                                request.requestId(), Thread.currentThread().getName());
                    }
                })
                .build();
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1) // one event loop: a step stuck on it would stall every connection
                .setWorkerThreads(4)
                .setHandler(new UndertowAdapter(sync))
                .build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        base = "http://127.0.0.1:" + port + "/";
    }

    @Test
    void quickStepsAreAnsweredOnTheIoThreadAndTheRestOnWorkers() throws Exception {
        start(true);
        assertTrue(post("u", "sync/meta", "", "{\"v\":11,\"cv\":\"t\"}").ioThread, "meta");
        String start = "{\"minUsn\":0,\"lnewer\":false}";
        assertTrue(post("u", "sync/start", "s", start).ioThread, "start");
        assertTrue(post("u", "sync/applyGraves", "s", "{\"chunk\":{}}").ioThread, "applyGraves");
        assertFalse(post("u", "sync/chunk", "s", "{}").ioThread, "chunk");
        assertFalse(post("u", "sync/abort", "s", "{}").ioThread, "abort");
        assertFalse(post("u", "sync/hostKey", "", "{\"u\":\"u\",\"p\":\"p\"}").ioThread, "hostKey");
    }

    @Test
    void offUnlessAllowedEverythingRunsOnWorkers() throws Exception {
        start(false);
        assertFalse(post("u", "sync/meta", "", "{\"v\":11,\"cv\":\"t\"}").ioThread, "meta");
    }

    @Test
    void aTakenLockSendsTheStepToAWorkerAndTheIoThreadServesOthersMeanwhile() throws Exception {
        start(true);
        String meta = "{\"v\":11,\"cv\":\"t\"}";
        assertEquals(200, post("u", "sync/meta", "", meta).status);
        CompletableFuture<Answer> waiting;
        // As another request, or the command line, holds it.
        try (UserFolderLock.Held held = UserFolderLock.acquire(temp.resolve("u"), UserFolderLock.Part.COLLECTION)) {
            waiting = CompletableFuture.supplyAsync(() -> postUnchecked("u", "sync/meta", "", meta));
            // The other user is answered, on the one I/O thread, while u's request waits.
            for (int i = 0; i < 5; i++) {
                Answer other = post("v", "sync/meta", "", meta);
                assertEquals(200, other.status);
                assertTrue(other.ioThread, "the other user's meta on the I/O thread");
            }
            Thread.sleep(200);
            assertFalse(waiting.isDone(), "u's meta waits for the lock");
        }
        Answer late = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(200, late.status);
        assertFalse(late.ioThread, "answered by a worker, which could wait");
        assertEquals(
                1, answeredOn.values().stream().filter(t -> !t.contains("I/O")).count(), "logged once");
    }

    private record Answer(int status, boolean ioThread) {}

    private Answer postUnchecked(String user, String path, String session, String payload) {
        try {
            return post(user, path, session, payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer post(String user, String path, String session, String payload) throws Exception {
        String header = JSON.createObjectNode()
                .put("v", 11)
                .put("k", path.equals("sync/hostKey") ? "" : "key-" + user)
                .put("c", "test")
                .put("s", session)
                .toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("anki-sync", header)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Zstd.compress(payload.getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        String thread = answeredOn.get(id);
        return new Answer(response.statusCode(), thread != null && thread.contains("I/O"));
    }

    /** Users u and v (password p), whose host keys are key-u and key-v. */
    private static final class TwoUsers implements UserStore, HostKeys {
        @Override
        public boolean verifyPassword(String username, String password) {
            return exists(username) && password.equals("p");
        }

        @Override
        public boolean exists(String username) {
            return username.equals("u") || username.equals("v");
        }

        @Override
        public List<String> list() {
            return List.of("u", "v");
        }

        @Override
        public String issue(String username, LoginContext context) {
            return "key-" + username;
        }

        @Override
        public Optional<String> resolve(String hostKey) {
            return hostKey.startsWith("key-") && exists(hostKey.substring(4))
                    ? Optional.of(hostKey.substring(4))
                    : Optional.empty();
        }
    }
}
