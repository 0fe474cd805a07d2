package org.ankisync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.core.http.ForwardingSyncCall;
import org.ankisync.core.http.HttpResponseSink;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.WouldWaitException;
import org.ankisync.core.ops.CompletedRequest;
import org.ankisync.core.ops.SyncObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls that may not wait ({@link SyncCall#mayWait()} false, what the Undertow
 * adapter passes from its I/O threads): only the quick steps of a sync are
 * answered so, and only when the builder allows it; a taken user lock makes
 * the call throw before anything changed, was logged or counted.
 */
@Timeout(60)
class AnswerWithoutWaitingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final List<CompletedRequest> completed = new ArrayList<>();
    private SyncServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private SyncServer server(boolean quickStepsWithoutWaiting) {
        OneTestUser users = new OneTestUser();
        server = SyncServer.builder(ServerConfig.defaults().withCollectionsPath(temp))
                .users(users)
                .hostKeys(users)
                .observer(new SyncObserver() {
                    @Override
                    public void requestCompleted(CompletedRequest request) {
                        completed.add(request);
                    }
                })
                .quickStepsWithoutWaiting(quickStepsWithoutWaiting)
                .build();
        return server;
    }

    @Test
    void offUnlessTheBuilderAllowsIt() {
        server(false);
        assertFalse(server.answersWithoutWaiting(call("POST", "sync/meta", "", "{}")));
        assertThrows(
                WouldWaitException.class,
                () -> serve(noWait(call("POST", "sync/meta", "", "{\"v\":11,\"cv\":\"t\"}"))));
        assertEquals(List.of(), completed, "nothing logged or counted");
    }

    @Test
    void onlyTheQuickStepsOfANormalSync() {
        server(true);
        for (String step : List.of("meta", "start", "applyGraves", "applyChanges", "applyChunk", "sanityCheck2")) {
            assertTrue(server.answersWithoutWaiting(call("POST", "sync/" + step, "", "{}")), step);
            assertFalse(server.answersWithoutWaiting(call("GET", "sync/" + step, "", "{}")), "GET " + step);
        }
        for (String path : List.of(
                "sync/hostKey",
                "sync/chunk",
                "sync/finish",
                "sync/abort",
                "sync/upload",
                "sync/download",
                "msync/begin",
                "msync/uploadChanges",
                "health",
                "ready",
                "metrics",
                "sync/nonsense",
                "nowhere")) {
            assertFalse(server.answersWithoutWaiting(call("POST", path, "", "{}")), path);
        }
    }

    @Test
    void otherRoutesThrowForACallThatMayNotWait() {
        server(true);
        for (String path : List.of("sync/hostKey", "sync/chunk", "sync/finish", "msync/begin", "health")) {
            assertThrows(WouldWaitException.class, () -> serve(noWait(call("POST", path, "", "{}"))), path);
        }
        assertEquals(List.of(), completed, "nothing logged or counted");
    }

    @Test
    void aTakenLockMakesTheCallThrowBeforeAnythingChanged() throws IOException {
        server(true);
        assertEquals(200, serve(noWait(call("POST", "sync/meta", "", "{\"v\":11,\"cv\":\"t\"}"))));
        assertEquals(1, completed.size());

        Path folder = temp.resolve("u");
        String start = "{\"minUsn\":0,\"lnewer\":false}";
        // Held as another request (or the command line) holds it.
        try (UserFolderLock.Held held = UserFolderLock.acquire(folder, UserFolderLock.Part.COLLECTION)) {
            assertThrows(WouldWaitException.class, () -> serve(noWait(call("POST", "sync/start", "s1", start))));
            assertThrows(WouldWaitException.class, () -> serve(noWait(call("POST", "sync/meta", "", "{}"))));
        }
        assertEquals(1, completed.size(), "the refused calls were neither logged nor counted");
        // The refused start began no sync: its steps find none.
        assertEquals(409, serve(call("POST", "sync/applyGraves", "s1", "{\"chunk\":{}}")));

        // Free again: answered without waiting, and the lock is free afterwards.
        assertEquals(200, serve(noWait(call("POST", "sync/start", "s1", start))));
        assertEquals(
                200,
                serve(noWait(call(
                        "POST", "sync/applyGraves", "s1", "{\"chunk\":{\"cards\":[],\"notes\":[],\"decks\":[]}}"))));
        try (UserFolderLock.Held held = UserFolderLock.tryAcquire(folder, UserFolderLock.Part.COLLECTION)) {
            assertTrue(held != null, "released after the step");
        }
        assertEquals(200, serve(call("POST", "sync/abort", "s1", "{}")));
    }

    /** Serves {@code call} and returns the status written. */
    private int serve(SyncCall call) throws IOException {
        int[] status = {0};
        server.serve(call, new HttpResponseSink() {
            @Override
            public void status(int code) {
                status[0] = code;
            }

            @Override
            public void header(String name, String value) {}

            @Override
            public OutputStream body() {
                return new ByteArrayOutputStream();
            }
        });
        return status[0];
    }

    private static TestCall call(String method, String path, String session, String payload) {
        String header = JSON.createObjectNode()
                .put("v", 11)
                .put("k", "key-u")
                .put("c", "test")
                .put("s", session)
                .toString();
        return new TestCall(method, path, header, Zstd.compress(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static SyncCall noWait(SyncCall call) {
        return new ForwardingSyncCall(call) {
            @Override
            public boolean mayWait() {
                return false;
            }
        };
    }
}
