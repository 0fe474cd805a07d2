package org.ankisync.e2e.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ankisync.core.storage.Schema11Downgrade;
import org.ankisync.e2e.harness.OurServerExtension;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema 11 with the official client live: our downgrade against the official
 * {@code Collection.close(downgrade=True)} of the same file, and the round trip
 * legacy full upload → v11 full download → v11 normal sync → legacy download.
 */
class LegacyCollectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a user calls the content (device_driver.content), without media. */
    private static final List<String> CONTENT =
            List.of("crt", "notes", "cards", "revlog", "decks", "notetypes", "deck_configs", "tags_on_notes");

    @TempDir
    Path temp;

    @RegisterExtension
    final OurServerExtension ours = new OurServerExtension();

    /** A device with notes in nested decks, tags, reviews, a deletion and config values; returns its file. */
    private Path makeCollection(String name) {
        Path folder = temp.resolve(name);
        try (PythonDevice device = PythonDevice.open(folder)) {
            device.addBasicNotes(6, "Default");
            device.addBasicNotes(4, "Languages::French");
            device.run("""
                    from anki.scheduler.v3 import CardAnswer
                    for nid in col.find_notes('')[:4]:
                        col.tags.bulk_add([nid], 'legacy::nested caf\\u00e9')
                    col.decks.select(col.decks.id('Default'))
                    for _ in range(3):
                        q = col.sched.get_queued_cards(fetch_limit=1)
                        top = q.cards[0]
                        card = col.get_card(top.card.id)
                        card.start_timer()
                        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states,
                                                                     rating=CardAnswer.GOOD))
                    col.remove_notes([col.find_notes('')[-1]])
                    conf = col.decks.get_config(1)
                    conf['new']['perDay'] = 33
                    col.decks.update_config(conf)
                    col.set_config('legacyTestValue', {'x': [1, 2.5, None, 'y']})
                    result = None
                    """);
        }
        return folder.resolve("collection.anki2");
    }

    /** The official downgrade: the pinned library opens a copy and closes it with downgrade=True. */
    private Path officialDowngrade(Path source, String name) throws IOException {
        Path folder = temp.resolve(name);
        Files.createDirectories(folder);
        Files.copy(source, folder.resolve("collection.anki2"));
        try (PythonDevice device = PythonDevice.open(folder)) {
            device.run("col.close(downgrade=True)\ndevice.col = None\nresult = None");
        }
        return folder.resolve("collection.anki2");
    }

    private static JsonNode contentOf(Path file) {
        try (PythonDevice device = PythonDevice.open(file.getParent())) {
            return content(device.dump());
        }
    }

    private static ObjectNode content(JsonNode dump) {
        ObjectNode out = JSON.createObjectNode();
        for (String key : CONTENT) {
            out.set(key, dump.get(key));
        }
        return out;
    }

    @Test
    void ourDowngradeMatchesTheOfficialOneAndTheOfficialClientReadsIt() throws Exception {
        Path source = makeCollection("source");
        JsonNode original = contentOf(source);
        Path official = officialDowngrade(source, "official");
        Path ours = temp.resolve("ours").resolve("collection.anki2");
        Files.createDirectories(ours.getParent());
        Files.copy(source, ours);
        Schema11Downgrade.downgrade(ours);

        assertEquals(pretty(colJson(official)), pretty(colJson(ours)));
        assertEquals(pretty(original), pretty(contentOf(ours)));
    }

    @Test
    void legacyUploadThenV11DownloadAndSyncThenLegacyDownload() throws Exception {
        Path source = makeCollection("source");
        JsonNode original = contentOf(source);
        byte[] schema11 = Files.readAllBytes(officialDowngrade(source, "official"));

        LegacyClient legacy = new LegacyClient(ours.endpoint());
        LegacyClient.Reply login = legacy.post(
                "sync/hostKey",
                Map.of(),
                ("{\"u\":\"" + TestUsers.ALICE + "\",\"p\":\"" + TestUsers.ALICE_PASSWORD + "\"}").getBytes(),
                true);
        String key = login.json().get("key").asText();
        LegacyClient.Reply upload = legacy.post("sync/upload", Map.of("k", key), schema11, true);
        assertEquals("OK", upload.text());

        JsonNode afterSync;
        try (PythonDevice modern = PythonDevice.open(temp.resolve("modern"))) {
            modern.login(ours.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            modern.syncWithFull("download", false);
            assertEquals(pretty(original), pretty(content(modern.dump())));
            modern.addBasicNotes(2, "Languages::French");
            assertEquals("normal_sync", modern.call("sync_status").asText());
            modern.sync();
            assertEquals("no_changes", modern.call("sync_status").asText());
            afterSync = content(modern.dump());
        }
        try (PythonDevice second = PythonDevice.open(temp.resolve("second"))) {
            second.login(ours.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            second.syncWithFull("download", false);
            assertEquals(
                    pretty(afterSync.get("notes")),
                    pretty(content(second.dump()).get("notes")));
        }

        LegacyClient.Reply download = legacy.post("sync/download", Map.of("k", key), null, false);
        assertEquals(200, download.status());
        Path downloaded = temp.resolve("legacy-download").resolve("collection.anki2");
        Files.createDirectories(downloaded.getParent());
        Files.write(downloaded, download.body());
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + downloaded);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select ver from col")) {
            rs.next();
            assertEquals(11, rs.getInt(1));
        }
        JsonNode legacyView = contentOf(downloaded);
        for (String key2 : List.of("notes", "cards", "revlog", "notetypes", "deck_configs", "tags_on_notes")) {
            assertEquals(pretty(afterSync.get(key2)), pretty(legacyView.get(key2)), key2);
        }
    }

    private static ObjectNode colJson(Path file) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(
                        "select ver, crt, mod, scm, usn, ls, conf, models, decks, dconf, tags" + " from col")) {
            rs.next();
            for (int i = 1; i <= 6; i++) {
                out.put(rs.getMetaData().getColumnName(i), rs.getLong(i));
            }
            for (int i = 7; i <= 11; i++) {
                out.set(rs.getMetaData().getColumnName(i), JSON.readTree(rs.getString(i)));
            }
        }
        return out;
    }

    private static String pretty(JsonNode node) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(node));
    }

    private static Object sorted(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), sorted(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(sorted(n)));
            return list;
        }
        return node;
    }
}
