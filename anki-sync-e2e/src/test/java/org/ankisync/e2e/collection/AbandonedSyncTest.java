package org.ankisync.e2e.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8: a normal sync broken off midway leaves the server collection
 * exactly as it was, and the official client's next sync succeeds.
 */
class AbandonedSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private OurServer server;
    private PythonDevice a;

    @BeforeEach
    void setUp() {
        server = OurServer.start(temp.resolve("server"));
        a = Devices.loggedIn(server, temp.resolve("a"));
        a.call("add_notes", Map.of("count", 30, "deck", "Before"));
        Devices.sync(a, null);
        a.call("review", Map.of("count", 5));
        Devices.normalSync(a);
    }

    @AfterEach
    void tearDown() {
        a.close();
        server.close();
    }

    @Test
    void abortRollsBackEverythingTheSessionWrote() throws Exception {
        String before = serverState();
        RawSyncClient raw = halfSync("abort1");
        assertEquals(200, raw.post("sync/abort", "{}").status());
        assertEquals(before, serverState());
        a.call("add_notes", Map.of("count", 2, "deck", "After"));
        Devices.normalSync(a);
        assertEquals(32, a.counts().notes());
    }

    @Test
    void aClientThatVanishesIsRolledBackWhenAnotherDeviceSyncs() throws Exception {
        String before = serverState();
        halfSync("lost1");
        // The raw client never comes back; another device's meta aborts its session.
        RawSyncClient other = new RawSyncClient(server.endpoint()).login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
        assertEquals(
                200,
                other.post("sync/meta", "{\"v\":11,\"cv\":\"other,1,linux\"}").status());
        assertEquals(before, serverState());
        try (PythonDevice b = Devices.loggedIn(server, temp.resolve("b"))) {
            assertEquals("full_download", Devices.sync(b, null).get("performed").asText());
            Devices.assertSameContent(a, b);
            assertEquals(30, b.counts().notes());
        }
        Devices.normalSync(a);
    }

    /** start, applyGraves, applyChanges and two applyChunk calls with new notes, cards and reviews. */
    private RawSyncClient halfSync(String sessionKey) {
        RawSyncClient raw = new RawSyncClient(server.endpoint())
                .login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD)
                .sessionKey(sessionKey);
        JsonNode meta =
                raw.post("sync/meta", "{\"v\":11,\"cv\":\"raw,1,linux\"}").json();
        int usn = meta.get("usn").asInt();
        long basic = a.run("result = col.models.by_name('Basic')['id']").asLong();
        assertEquals(
                200,
                raw.post("sync/start", "{\"minUsn\":" + usn + ",\"lnewer\":false}")
                        .status());
        List<Long> doomed = PythonDevice.longs(a.run("result = sorted(col.find_notes(''))[:3]"));
        assertEquals(
                200,
                raw.post("sync/applyGraves", "{\"chunk\":{\"cards\":[],\"notes\":" + doomed + ",\"decks\":[]}}")
                        .status());
        assertEquals(
                200,
                raw.post(
                                "sync/applyChanges",
                                "{\"changes\":{\"models\":[],\"decks\":[[],[]],\"tags\":[\"half-synced\"]}}")
                        .status());
        for (int part = 0; part < 2; part++) {
            ObjectNode chunk = JSON.createObjectNode();
            ArrayNode notes = chunk.putArray("notes");
            ArrayNode cards = chunk.putArray("cards");
            ArrayNode revlog = chunk.putArray("revlog");
            for (int i = 0; i < 5; i++) {
                long id = 1_600_000_000_000L + part * 100 + i;
                notes.add(JSON.valueToTree(
                        List.of(id, "guid" + id, basic, 1_700_000_000L, usn, "", "f\u001fb", "", "", 0, "")));
                cards.add(JSON.valueToTree(
                        List.of(id, id, 1, 0, 1_700_000_000L, usn, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, "")));
                revlog.add(JSON.valueToTree(List.of(id, id, usn, 3, 1, 0, 2500, 1000, 1)));
            }
            chunk.put("done", part == 1);
            ObjectNode body = JSON.createObjectNode();
            body.set("chunk", chunk);
            assertEquals(200, raw.post("sync/applyChunk", body.toString()).status());
        }
        return raw;
    }

    /** Everything a sync could change, read straight from the server's file. */
    private String serverState() throws SQLException {
        Path file = server.dataDir().resolve(TestUsers.ALICE).resolve("collection.anki2");
        List<String> parts = new ArrayList<>();
        try (Connection db = CollectionDatabase.open(file);
                Statement st = db.createStatement()) {
            for (String query : List.of(
                    "select * from col",
                    "select * from notes order by id",
                    "select * from cards order by id",
                    "select * from revlog order by id",
                    "select * from graves order by oid",
                    "select tag, usn from tags order by tag",
                    "select id, name, usn from decks order by id",
                    "select key, usn, val from config order by key")) {
                try (ResultSet rs = st.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        parts.add(row.toString());
                    }
                }
            }
        }
        return String.join("\n", parts);
    }
}
