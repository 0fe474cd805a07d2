package org.ankisync.core.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ankisync.core.storage.schema18.DeckConfigJson;
import org.ankisync.core.storage.schema18.DeckConfigRecord;
import org.ankisync.core.storage.schema18.DeckConfigTable;
import org.ankisync.core.storage.schema18.DeckJson;
import org.ankisync.core.storage.schema18.DeckNames;
import org.ankisync.core.storage.schema18.DeckRecord;
import org.ankisync.core.storage.schema18.DeckTable;
import org.ankisync.core.storage.schema18.FieldRecord;
import org.ankisync.core.storage.schema18.LegacyJsonWriter;
import org.ankisync.core.storage.schema18.NotetypeJson;
import org.ankisync.core.storage.schema18.NotetypeRecord;
import org.ankisync.core.storage.schema18.NotetypeTable;
import org.ankisync.core.storage.schema18.TemplateRecord;
import org.ankisync.core.storage.schema18.proto.DeckConfigConfig;

/**
 * The 11 → 18 upgrade (storage-schema.md section 10) of a schema-11 file
 * uploaded by a legacy client: the JSON columns of {@code col} become the
 * schema-18 tables, graves get their primary key. It runs the way the
 * official code runs it on an uploaded file ({@code server = false}: objects
 * the upgrade modifies get {@code usn = -1}). The object conversions are those
 * of {@link NotetypeJson}, {@link DeckJson} and {@link DeckConfigJson}, the same as in a normal sync.
 */
public final class Schema11Upgrade {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NotetypeJson NOTETYPES = new NotetypeJson();
    private static final DeckJson DECKS = new DeckJson();
    private static final DeckConfigJson DECK_CONFIGS = new DeckConfigJson();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The schema-18 tables and indexes a schema-11 file lacks, as the official code creates them. */
    private static final List<String> CREATE = List.of(
            "CREATE TABLE deck_config (\n  id integer PRIMARY KEY NOT NULL,\n  name text NOT NULL COLLATE unicase,\n"
                    + "  mtime_secs integer NOT NULL,\n  usn integer NOT NULL,\n  config blob NOT NULL\n)",
            "CREATE TABLE config (\n  KEY text NOT NULL PRIMARY KEY,\n  usn integer NOT NULL,\n"
                    + "  mtime_secs integer NOT NULL,\n  val blob NOT NULL\n) without rowid",
            "CREATE TABLE tags (\n  tag text NOT NULL PRIMARY KEY COLLATE unicase,\n  usn integer NOT NULL,\n"
                    + "  collapsed boolean NOT NULL,\n  config blob NULL\n) without rowid",
            "CREATE TABLE fields (\n  ntid integer NOT NULL,\n  ord integer NOT NULL,\n"
                    + "  name text NOT NULL COLLATE unicase,\n  config blob NOT NULL,\n  PRIMARY KEY (ntid, ord)\n"
                    + ") without rowid",
            "CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid)",
            "CREATE TABLE templates (\n  ntid integer NOT NULL,\n  ord integer NOT NULL,\n"
                    + "  name text NOT NULL COLLATE unicase,\n  mtime_secs integer NOT NULL,\n  usn integer NOT NULL,\n"
                    + "  config blob NOT NULL,\n  PRIMARY KEY (ntid, ord)\n) without rowid",
            "CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid)",
            "CREATE INDEX idx_templates_usn ON templates (usn)",
            "CREATE TABLE notetypes (\n  id integer NOT NULL PRIMARY KEY,\n  name text NOT NULL COLLATE unicase,\n"
                    + "  mtime_secs integer NOT NULL,\n  usn integer NOT NULL,\n  config blob NOT NULL\n)",
            "CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name)",
            "CREATE INDEX idx_notetypes_usn ON notetypes (usn)",
            "CREATE TABLE decks (\n  id integer PRIMARY KEY NOT NULL,\n  name text NOT NULL COLLATE unicase,\n"
                    + "  mtime_secs integer NOT NULL,\n  usn integer NOT NULL,\n  common blob NOT NULL,\n"
                    + "  kind blob NOT NULL\n)",
            "CREATE UNIQUE INDEX idx_decks_name ON decks (name)",
            "CREATE INDEX IF NOT EXISTS idx_notes_mid ON notes (mid)",
            "CREATE INDEX IF NOT EXISTS idx_cards_odid ON cards (odid)\nWHERE odid != 0");

    private Schema11Upgrade() {}

    /**
     * Upgrades a schema-11 collection to schema 18 inside the caller's
     * transaction. The connection must have the {@code unicase} collation.
     *
     * @param nowSecs the time written on decks the upgrade renames
     */
    public static void upgrade(Connection db, long nowSecs) throws SQLException {
        String conf;
        String models;
        String decks;
        String dconf;
        String tags;
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select ver, conf, models, decks, dconf, tags from col")) {
            if (!rs.next()) {
                throw new SQLException("collection has no col row");
            }
            if (rs.getInt(1) != 11) {
                throw new SQLException("can only upgrade schema 11, not " + rs.getInt(1));
            }
            conf = rs.getString(2);
            models = rs.getString(3);
            decks = rs.getString(4);
            dconf = rs.getString(5);
            tags = rs.getString(6);
        }
        try (Statement st = db.createStatement()) {
            for (String sql : CREATE) {
                st.execute(sql);
            }
        }
        Map<Long, Float> lowEaseFixed = deckConfigs(db, parse(dconf, "dconf"));
        tags(db, parse(tags, "tags"));
        config(db, parse(conf, "conf"));
        notetypes(db, parse(models, "models"));
        JsonNode deckMap = parse(decks, "decks");
        decks(db, deckMap, nowSecs);
        fixLowEases(db, deckMap, lowEaseFixed.keySet());
        try (Statement st = db.createStatement()) {
            st.execute("alter table graves rename to graves_old");
            st.execute("CREATE TABLE graves (\n  oid integer NOT NULL,\n  type integer NOT NULL,\n"
                    + "  usn integer NOT NULL,\n  PRIMARY KEY (oid, type)\n) WITHOUT ROWID");
            st.execute("insert or ignore into graves (oid, type, usn) select oid, type, usn from graves_old");
            st.execute("drop table graves_old");
            st.execute("CREATE INDEX idx_graves_pending ON graves (usn)");
            st.execute("update col set ver = 18, conf = '', models = '', decks = '', dconf = '', tags = ''");
        }
    }

    private static JsonNode parse(String text, String column) throws SQLException {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new SQLException("col." + column + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new SQLException("col." + column + " is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Schema 14-16 for deck configs: the inner id forced to the map key, the
     * starting ease as the official code computes it through schemas 15 and 16
     * (factor / 1000, × 100, / 100 in 32-bit float), and reset to 2.5 when it
     * ends up at 1.3 or below. Returns the configs so reset.
     */
    private static Map<Long, Float> deckConfigs(Connection db, JsonNode map) throws SQLException {
        Map<Long, Float> reset = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            long id = mapKey(entry.getKey(), "dconf");
            com.fasterxml.jackson.databind.node.ObjectNode json = object(entry.getValue(), "dconf");
            json.put("id", id);
            DeckConfigRecord rec = DECK_CONFIGS.fromJson(json);
            DeckConfigConfig.Builder c;
            try {
                c = DeckConfigConfig.parseFrom(rec.config()).toBuilder();
            } catch (InvalidProtocolBufferException e) {
                throw new SQLException("deck config " + id, e);
            }
            float ease = c.getInitialEase() * 100f;
            ease = ease / 100f;
            if (ease <= 1.3f) {
                reset.put(id, ease);
                ease = 2.5f;
            }
            c.setInitialEase(ease);
            if (DeckConfigTable.find(db, id).isPresent()) {
                try (Statement st = db.createStatement();
                        ResultSet rs = st.executeQuery("select max(id) + 1 from deck_config")) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            DeckConfigTable.replace(
                    db,
                    new DeckConfigRecord(
                            id,
                            rec.name(),
                            rec.mtimeSecs(),
                            rec.usn(),
                            c.build().toByteArray()));
        }
        return reset;
    }

    /** Schema 14 and 17: name → usn, every tag collapsed; a case-insensitive duplicate is dropped. */
    private static void tags(Connection db, JsonNode map) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "insert or ignore into tags (tag, usn, collapsed, config) values (?, ?, 1, null)")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                ps.setString(1, entry.getKey());
                ps.setInt(2, entry.getValue().asInt());
                ps.executeUpdate();
            }
        }
    }

    /** Schema 14: every key of {@code col.conf} with usn 0 and mtime 0. */
    private static void config(Connection db, JsonNode map) throws SQLException {
        try (PreparedStatement ps =
                db.prepareStatement("insert or replace into config (key, usn, mtime_secs, val) values (?, 0, 0, ?)")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                ps.setString(1, entry.getKey());
                ps.setBytes(2, LegacyJsonWriter.write(entry.getValue()).getBytes(StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
        }
    }

    /**
     * Schema 15 for notetypes: id 0 replaced by a random one, names NFC,
     * field and template names made unique within the notetype by appending
     * {@code +}, notetype names unique across the collection by appending
     * {@code _} (both case-insensitively).
     */
    private static void notetypes(Connection db, JsonNode map) throws SQLException {
        Set<String> names = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            long id = mapKey(entry.getKey(), "models");
            com.fasterxml.jackson.databind.node.ObjectNode json = object(entry.getValue(), "models");
            if (id == 0) {
                id = 1 + (RANDOM.nextLong() & 0xFFFF_FFFEL);
            }
            json.put("id", id);
            NotetypeRecord nt = NOTETYPES.fromJson(json);
            Set<String> fieldNames = new HashSet<>();
            List<FieldRecord> fields = new ArrayList<>();
            for (FieldRecord f : nt.fields()) {
                fields.add(new FieldRecord(f.ord(), unique(nfc(f.name()), fieldNames, "+"), f.config()));
            }
            Set<String> templateNames = new HashSet<>();
            List<TemplateRecord> templates = new ArrayList<>();
            for (TemplateRecord t : nt.templates()) {
                templates.add(new TemplateRecord(
                        t.ord(), unique(nfc(t.name()), templateNames, "+"), t.mtimeSecs(), t.usn(), t.config()));
            }
            String name = unique(nfc(nt.name()), names, "_");
            NotetypeTable.replace(
                    db, new NotetypeRecord(id, name, nt.mtimeSecs(), nt.usn(), nt.config(), fields, templates));
        }
    }

    /**
     * Schema 15 for decks: names normalised to the native form (a change marks
     * the deck modified), then made unique by appending {@code _}.
     */
    private static void decks(Connection db, JsonNode map, long nowSecs) throws SQLException {
        Set<String> names = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            long id = mapKey(entry.getKey(), "decks");
            com.fasterxml.jackson.databind.node.ObjectNode json = object(entry.getValue(), "decks");
            json.put("id", id);
            DeckRecord deck = DECKS.fromJson(json);
            String humanName = json.path("name").asText();
            String nativeName = deck.name();
            boolean modified = !DeckNames.toHuman(nativeName).equals(humanName);
            String unique = unique(nativeName, names, "_");
            modified |= !unique.equals(nativeName);
            DeckTable.replace(
                    db,
                    new DeckRecord(
                            id,
                            unique,
                            modified ? nowSecs : deck.mtimeSecs(),
                            modified ? -1 : deck.usn(),
                            deck.common(),
                            deck.kind()));
        }
    }

    /** Schema 16: cards of normal decks whose config was reset get factor 2500 where it was 1-2000. */
    private static void fixLowEases(Connection db, JsonNode deckMap, Set<Long> configs) throws SQLException {
        if (configs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement("update cards set factor = 2500, usn = -1"
                + " where (did = ? or odid = ?) and factor != 0 and factor <= 2000")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = deckMap.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode deck = entry.getValue();
                if (deck.path("dyn").asInt(0) == 0
                        && configs.contains(deck.path("conf").asLong(1))) {
                    long did = mapKey(entry.getKey(), "decks");
                    ps.setLong(1, did);
                    ps.setLong(2, did);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static String unique(String name, Set<String> taken, String suffix) {
        String candidate = name;
        while (!taken.add(UnicaseCollation.fold(candidate))) {
            candidate = candidate + suffix;
        }
        return candidate;
    }

    private static String nfc(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    private static long mapKey(String key, String column) throws SQLException {
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new SQLException("col." + column + " has a non-numeric key " + key);
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode object(JsonNode node, String column)
            throws SQLException {
        if (!node.isObject()) {
            throw new SQLException("col." + column + " holds a non-object entry");
        }
        return (com.fasterxml.jackson.databind.node.ObjectNode) node.deepCopy();
    }
}
