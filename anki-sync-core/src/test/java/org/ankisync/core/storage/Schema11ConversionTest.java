package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.ankisync.core.storage.schema18.DeckConfigJson;
import org.ankisync.core.storage.schema18.DeckConfigRecord;
import org.ankisync.core.storage.schema18.DeckConfigTable;
import org.ankisync.core.storage.schema18.DeckJson;
import org.ankisync.core.storage.schema18.DeckRecord;
import org.ankisync.core.storage.schema18.DeckTable;
import org.ankisync.core.storage.schema18.NotetypeJson;
import org.ankisync.core.storage.schema18.NotetypeRecord;
import org.ankisync.core.storage.schema18.NotetypeTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our schema 18 → 11 downgrade and 11 → 18 upgrade against what the official
 * library does to the same files (fixtures by tools/make_legacy_fixtures.py).
 */
class Schema11ConversionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NotetypeJson NOTETYPES = new NotetypeJson();
    private static final DeckJson DECKS = new DeckJson();
    private static final DeckConfigJson DECK_CONFIGS = new DeckConfigJson();
    private static final String RES = "/org/ankisync/core/storage/schema11/";

    @TempDir
    Path temp;

    private Path copy(String resource, String name) throws IOException {
        Path target = temp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(RES + resource)) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void downgradeMatchesTheOfficialCloseWithDowngrade() throws Exception {
        Path ours = copy("input-schema18.anki2", "ours.anki2");
        Schema11Downgrade.downgrade(ours);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + ours)) {
            assertEquals(
                    "delete", query(db, "pragma journal_mode").get(0).get(0).asText());
        }
        Path official = copy("official-downgraded.anki2", "official.anki2");
        assertEquals(pretty(schema11Snapshot(official)), pretty(schema11Snapshot(ours)));
    }

    @Test
    void theStoredFileIsNeverTheOneDowngraded() throws Exception {
        Path input = copy("input-schema18.anki2", "input.anki2");
        Path before = copy("input-schema18.anki2", "before.anki2");
        Path copy = temp.resolve("copy.anki2");
        Files.copy(input, copy);
        Schema11Downgrade.downgrade(copy);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(before), Files.readAllBytes(input)));
    }

    @Test
    void upgradeMatchesTheOfficialUpgradeOfTheSameFile() throws Exception {
        Path ours = copy("official-downgraded.anki2", "ours.anki2");
        try (Connection db = CollectionDatabase.open(ours)) {
            db.setAutoCommit(false);
            Schema11Upgrade.upgrade(db, 1_700_000_000L);
            db.commit();
            db.setAutoCommit(true);
            assertEquals("ok", CollectionDatabase.integrityCheck(db));
        }
        Path official = copy("official-upgraded.anki2", "official.anki2");
        assertEquals(pretty(schema18Snapshot(official)), pretty(schema18Snapshot(ours)));
    }

    @Test
    void downgradeThenUpgradeKeepsTheObjects() throws Exception {
        Path file = copy("input-schema18.anki2", "roundtrip.anki2");
        Path input = copy("input-schema18.anki2", "input.anki2");
        Schema11Downgrade.downgrade(file);
        try (Connection db = CollectionDatabase.open(file)) {
            db.setAutoCommit(false);
            Schema11Upgrade.upgrade(db, 1_700_000_000L);
            db.commit();
        }
        ObjectNode after = schema18Snapshot(file);
        ObjectNode before = schema18Snapshot(input);
        // Lost by design in schema 11: tag collapsed state, config usn/mtime, template mtime/usn.
        for (ObjectNode snap : new ObjectNode[] {after, before}) {
            snap.remove("tags");
            snap.remove("configRows");
            snap.remove("templateRows");
        }
        assertEquals(pretty(before), pretty(after));
    }

    // ------------------------------------------------------------ snapshots

    private static ObjectNode schema11Snapshot(Path file) throws SQLException, IOException {
        try (Connection db = CollectionDatabase.open(file)) {
            ObjectNode snap = JsonNodeFactory.instance.objectNode();
            snap.set(
                    "objects",
                    query(
                            db,
                            "select type, name from sqlite_master where name not like 'sqlite_%'" + " order by name"));
            snap.set("col", query(db, "select id, crt, mod, scm, ver, dty, usn, ls from col"));
            JsonNode row = query(db, "select conf, models, decks, dconf, tags from col")
                    .get(0);
            String[] names = {"conf", "models", "decks", "dconf", "tags"};
            for (int i = 0; i < names.length; i++) {
                snap.set(names[i], JSON.readTree(row.get(i).asText()));
            }
            snap.set("graves", query(db, "select usn, oid, type from graves order by oid, type"));
            snap.set("notes", query(db, "select * from notes order by id"));
            snap.set("cards", query(db, "select * from cards order by id"));
            snap.set("revlog", query(db, "select * from revlog order by id"));
            return snap;
        }
    }

    private static ObjectNode schema18Snapshot(Path file) throws SQLException, IOException {
        try (Connection db = CollectionDatabase.open(file)) {
            ObjectNode snap = JsonNodeFactory.instance.objectNode();
            snap.set(
                    "objects",
                    query(
                            db,
                            "select type, name, sql from sqlite_master where name not like 'sqlite_%'"
                                    + " order by name"));
            snap.set("col", query(db, "select * from col"));
            ArrayNode notetypes = snap.putArray("notetypes");
            for (NotetypeRecord nt : NotetypeTable.all(db)) {
                notetypes.add(NOTETYPES.toJson(nt));
            }
            snap.set("notetypeRows", query(db, "select id, name, mtime_secs, usn from notetypes order by id"));
            snap.set("fieldRows", query(db, "select ntid, ord, name from fields order by ntid, ord"));
            snap.set(
                    "templateRows",
                    query(db, "select ntid, ord, name, mtime_secs, usn from templates" + " order by ntid, ord"));
            ArrayNode decks = snap.putArray("decks");
            for (DeckRecord deck : DeckTable.all(db)) {
                decks.add(DECKS.toJson(deck));
            }
            snap.set("deckRows", query(db, "select id, name, mtime_secs, usn from decks order by id"));
            ArrayNode confs = snap.putArray("deckConfigs");
            for (DeckConfigRecord conf : DeckConfigTable.all(db)) {
                confs.add(DECK_CONFIGS.toJson(conf));
            }
            snap.set("deckConfigRows", query(db, "select id, name, mtime_secs, usn from deck_config order by id"));
            ObjectNode config = snap.putObject("config");
            for (JsonNode kv : query(db, "select key, cast(val as text) from config order by key")) {
                config.set(kv.get(0).asText(), JSON.readTree(kv.get(1).asText()));
            }
            snap.set("configRows", query(db, "select key, usn, mtime_secs from config order by key"));
            snap.set("tags", query(db, "select tag, usn, collapsed, config from tags order by tag"));
            snap.set("graves", query(db, "select oid, type, usn from graves order by oid, type"));
            snap.set("notes", query(db, "select * from notes order by id"));
            snap.set("cards", query(db, "select * from cards order by id"));
            snap.set("revlog", query(db, "select * from revlog order by id"));
            return snap;
        }
    }

    private static ArrayNode query(Connection db, String sql) throws SQLException {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                ArrayNode row = rows.addArray();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v == null) {
                        row.addNull();
                    } else if (v instanceof byte[] b) {
                        row.add(java.util.HexFormat.of().formatHex(b));
                    } else if (v instanceof Number n) {
                        row.add(n.longValue());
                    } else {
                        row.add(v.toString());
                    }
                }
            }
        }
        return rows;
    }

    /** Indented JSON with object keys sorted, so that key order (a hash map's) does not matter. */
    static String pretty(JsonNode node) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(node));
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), sorted(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            java.util.List<Object> list = new java.util.ArrayList<>();
            node.forEach(n -> list.add(sorted(n)));
            return list;
        }
        return node;
    }
}
