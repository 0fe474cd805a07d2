package org.ankisync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ankisync.core.cluster.Placement;
import org.ankisync.core.cluster.PlacementGate;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The placement hook inside SyncServer: logins everywhere, the 308 on meta, nothing done for a user elsewhere. */
class SyncServerPlacementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private SyncServer server;

    private SyncServer serverWhere(Placement placement) {
        OneTestUser users = new OneTestUser();
        server = SyncServer.builder(ServerConfig.defaults().withCollectionsPath(temp))
                .users(users)
                .hostKeys(users)
                .placement(new PlacementGate(user -> placement))
                .build();
        return server;
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private SyncReply post(String path, String key, String payload) {
        String header = JSON.createObjectNode()
                .put("v", 11)
                .put("k", key)
                .put("c", "test")
                .put("s", "s1")
                .toString();
        SyncReply reply =
                server.handle(TestCall.v11(path, header, Zstd.compress(payload.getBytes(StandardCharsets.UTF_8))));
        reply.complete();
        return reply;
    }

    @Test
    void aUserServedElsewhereLogsInHereAndIsRedirectedAtMeta() {
        serverWhere(new Placement.Elsewhere("https://sync2.example.com/"));
        assertEquals(200, post("sync/hostKey", "", "{\"u\":\"u\",\"p\":\"p\"}").status());
        SyncReply meta = post("sync/meta", "key-u", "{\"v\":11,\"cv\":\"test\"}");
        assertEquals(308, meta.status());
        assertEquals("https://sync2.example.com/", meta.headers().get("Location"));
        assertEquals(
                503,
                post("sync/start", "key-u", "{\"minUsn\":0,\"lnewer\":false}").status());
        assertEquals(503, post("msync/begin", "key-u", "{\"v\":\"test\"}").status());
        // Nothing was created here for that user.
        assertFalse(Files.exists(temp.resolve("u").resolve("collection.anki2")));
    }

    @Test
    void aUserServedHereSyncsAsBefore() {
        serverWhere(Placement.HERE);
        assertEquals(
                200, post("sync/meta", "key-u", "{\"v\":11,\"cv\":\"test\"}").status());
    }

    @Test
    void aWrongHostKeyIsStill403BeforeAnyPlacement() {
        serverWhere(new Placement.Elsewhere("https://sync2.example.com/"));
        assertEquals(
                403, post("sync/meta", "stolen", "{\"v\":11,\"cv\":\"test\"}").status());
    }
}
