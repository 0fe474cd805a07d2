package org.ankisync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.storage.CollectionDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol through SyncServer.handle, without HTTP: statuses, sessions and rollback. */
class SyncServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private SyncServer server;

    @BeforeEach
    void setUp() {
        OneTestUser users = new OneTestUser();
        server = SyncServer.builder(ServerConfig.defaults().withCollectionsPath(temp))
                .users(users)
                .hostKeys(users)
                .build();
    }

    /** Also waits for background work (a daily snapshot) before the folder is deleted. */
    @AfterEach
    void tearDown() {
        server.close();
    }

    private record Result(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Result post(String path, String key, String session, String payload) {
        String header = JSON.createObjectNode()
                .put("v", 11)
                .put("k", key)
                .put("c", "test")
                .put("s", session)
                .toString();
        byte[] body = Zstd.compress(payload.getBytes(StandardCharsets.UTF_8));
        SyncReply reply = server.handle(TestCall.v11(path, header, body));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            reply.body().writeTo(out);
            byte[] bytes = out.toByteArray();
            String size = reply.headers().get("anki-original-size");
            if (size != null) {
                bytes = Zstd.decompress(bytes, Integer.parseInt(size));
            }
            return new Result(reply.status(), new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            reply.complete();
        }
    }

    @Test
    void loginAndMetaOfANewUser() throws IOException {
        assertEquals(
                403,
                post("sync/hostKey", "", "", "{\"u\":\"u\",\"p\":\"wrong\"}").status());
        Result login = post("sync/hostKey", "", "", "{\"u\":\"u\",\"p\":\"p\"}");
        assertEquals("key-u", login.json().get("key").asText());
        Result meta = post("sync/meta", "key-u", "", "{\"v\":11,\"cv\":\"test\"}");
        assertEquals(200, meta.status());
        JsonNode m = meta.json();
        assertEquals(0, m.get("mod").asLong());
        assertEquals(0, m.get("usn").asInt());
        assertTrue(m.get("empty").asBoolean());
        assertTrue(m.get("cont").asBoolean());
        for (String key : List.of("scm", "ts", "msg", "hostNum", "media_usn")) {
            assertTrue(m.has(key), key);
        }
    }

    @Test
    void metaRefusesOldClientsAsTheOfficialServerDoes() throws IOException {
        assertEquals(
                501, post("sync/meta", "key-u", "", "{\"v\":7,\"cv\":\"old\"}").status());
        JsonNode v8 = post("sync/meta", "key-u", "", "{\"v\":8,\"cv\":\"old\"}").json();
        assertEquals(false, v8.get("cont").asBoolean());
        assertEquals(
                "Your client does not support the v2 scheduler", v8.get("msg").asText());
    }

    @Test
    void statusCodesOfTheSessionRules() {
        assertEquals(
                403, post("sync/meta", "stolen", "", "{\"v\":11,\"cv\":\"x\"}").status());
        assertEquals(
                400,
                post("sync/start", "key-u", "", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        assertEquals(409, post("sync/chunk", "key-u", "s1", "{}").status());
        assertEquals(400, post("sync/chunk", "key-u", "", "{}").status());
        assertEquals(
                200,
                post("sync/start", "key-u", "s1", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        assertEquals(409, post("sync/chunk", "key-u", "other", "{}").status());
        assertEquals(
                400,
                post("sync/applyChanges", "key-u", "s1", "{\"changes\": 5}").status());
        // The failed step rolled back and ended the session.
        assertEquals(409, post("sync/chunk", "key-u", "s1", "{}").status());
        assertEquals(400, post("sync/meta", "key-u", "", "{not json").status());
        assertEquals(404, post("sync", "key-u", "", "{}").status());
        assertEquals(400, post("sync/nonsense", "key-u", "", "{}").status());
    }

    @Test
    void anAbortWithAnotherDevicesKeyLeavesTheRunningSessionAlone() {
        post("sync/meta", "key-u", "", "{\"v\":11,\"cv\":\"x\"}");
        assertEquals(
                200,
                post("sync/start", "key-u", "winner", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        assertEquals(200, post("sync/abort", "key-u", "loser", "{}").status());
        assertEquals(200, post("sync/chunk", "key-u", "winner", "{}").status(), "the winner's session survives");
        assertEquals(200, post("sync/abort", "key-u", "winner", "{}").status());
        assertEquals(409, post("sync/chunk", "key-u", "winner", "{}").status(), "its own abort ends it");
    }

    @Test
    void aStartAfterAnotherDeviceSyncedSinceThisClientsMetaIsAConflict() throws IOException {
        // Device Y asks meta (usn 0), then device X syncs completely (usn becomes 1).
        assertEquals(
                0,
                post("sync/meta", "key-u", "y", "{\"v\":11,\"cv\":\"y\"}")
                        .json()
                        .get("usn")
                        .asInt());
        assertEquals(
                0,
                post("sync/meta", "key-u", "x", "{\"v\":11,\"cv\":\"x\"}")
                        .json()
                        .get("usn")
                        .asInt());
        assertEquals(
                200,
                post("sync/start", "key-u", "x", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        post("sync/applyChanges", "key-u", "x", "{\"changes\":{\"models\":[],\"decks\":[[],[]],\"tags\":[]}}");
        post("sync/chunk", "key-u", "x", "{}");
        post("sync/applyChunk", "key-u", "x", "{\"chunk\":{\"done\":true}}");
        post("sync/sanityCheck2", "key-u", "x", "{\"client\":[[0,0,0],0,0,0,0,6,1,1]}");
        assertEquals(200, post("sync/finish", "key-u", "x", "{}").status());
        // Y would stamp its changes with usn 0 while the server is at 1: it must start over.
        assertEquals(
                409,
                post("sync/start", "key-u", "y", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        post("sync/meta", "key-u", "y2", "{\"v\":11,\"cv\":\"y\"}");
        assertEquals(
                200,
                post("sync/start", "key-u", "y2", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
    }

    @Test
    void aNoteForAnUnknownNotetypeFailsTheSessionAndWritesNothing() throws Exception {
        post("sync/meta", "key-u", "", "{\"v\":11,\"cv\":\"x\"}");
        assertEquals(
                200,
                post("sync/start", "key-u", "s", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        String goodChunk = "{\"chunk\":{\"revlog\":[[1,2,0,3,1,0,2500,100,1]],\"done\":false}}";
        assertEquals(200, post("sync/applyChunk", "key-u", "s", goodChunk).status());
        String badNote =
                "{\"chunk\":{\"notes\":[[5,\"g\",12345,1,0,\"\",\"a\u001fb\",\"\",\"\",0,\"\"]],\"done\":true}}";
        assertEquals(400, post("sync/applyChunk", "key-u", "s", badNote).status());
        try (Connection db = CollectionDatabase.open(temp.resolve("u").resolve("collection.anki2"));
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select (select count() from revlog), (select count() from notes)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the revlog entry of the same session was rolled back");
            assertEquals(0, rs.getInt(2));
        }
    }

    @Test
    void finishCommitsAndBumpsTheUsn() throws IOException {
        post("sync/meta", "key-u", "", "{\"v\":11,\"cv\":\"x\"}");
        assertEquals(
                200,
                post("sync/start", "key-u", "s", "{\"minUsn\":0,\"lnewer\":false}")
                        .status());
        JsonNode changes = post(
                        "sync/applyChanges",
                        "key-u",
                        "s",
                        "{\"changes\":{\"models\":[],\"decks\":[[],[]],\"tags\":[\"t1\"]}}")
                .json();
        assertTrue(changes.has("conf") && changes.has("crt"), "server config goes to an older client");
        assertEquals(6, changes.get("models").size(), "the stock notetypes have usn 0 >= minUsn 0");
        assertEquals("{\"done\":true}", post("sync/chunk", "key-u", "s", "{}").body());
        assertEquals(
                200,
                post("sync/applyChunk", "key-u", "s", "{\"chunk\":{\"done\":true}}")
                        .status());
        JsonNode sanity = post("sync/sanityCheck2", "key-u", "s", "{\"client\":[[0,0,0],0,0,0,0,6,1,1]}")
                .json();
        assertEquals("ok", sanity.get("status").asText(), sanity.toString());
        long mod = post("sync/finish", "key-u", "s", "{}").json().asLong();
        JsonNode meta =
                post("sync/meta", "key-u", "", "{\"v\":11,\"cv\":\"x\"}").json();
        assertEquals(mod, meta.get("mod").asLong());
        assertEquals(1, meta.get("usn").asInt());
    }

    @Test
    void healthAndWrongHttpMethods() {
        SyncReply health = server.handle(TestCall.bare("GET", "health"));
        assertEquals(200, health.status());
        assertEquals(405, server.handle(TestCall.bare("GET", "sync/meta")).status());
        assertEquals(404, server.handle(TestCall.bare("GET", "favicon.ico")).status());
    }
}
