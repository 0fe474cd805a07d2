package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.storage.TagNames;
import org.ankisync.core.storage.UnicaseCollation;
import org.ankisync.core.storage.schema18.DeckConfigRecord;
import org.ankisync.core.storage.schema18.DeckConfigTable;
import org.ankisync.core.storage.schema18.DeckRecord;
import org.ankisync.core.storage.schema18.DeckTable;
import org.ankisync.core.storage.schema18.LegacyJson;
import org.ankisync.core.storage.schema18.NotetypeRecord;
import org.ankisync.core.storage.schema18.NotetypeTable;

/**
 * {@code applyChanges}: notetypes, decks, deck configs, tags, config and crt.
 * The server first collects its own changes, then merges the client's, so
 * nothing the client sent is echoed back (collection-sync.md 4.5).
 */
final class UnchunkedChanges {
    private final ObjectMapper json;
    private final LegacyJson legacyJson;

    UnchunkedChanges(ObjectMapper json, LegacyJson legacyJson) {
        this.json = json;
        this.legacyJson = legacyJson;
    }

    ObjectNode exchange(SyncSession session, JsonNode changes, long nowSecs) throws SQLException {
        if (changes == null || !changes.isObject()) {
            throw JsonArgs.invalid("changes must be an object");
        }
        ObjectNode reply = collect(session);
        merge(session, changes, nowSecs);
        return reply;
    }

    private ObjectNode collect(SyncSession session) throws SQLException {
        Connection db = session.db;
        ObjectNode reply = json.createObjectNode();
        ArrayNode models = reply.putArray("models");
        for (NotetypeRecord nt : NotetypeTable.changedSince(db, session.clientUsn)) {
            models.add(legacyJson.notetypeToJson(nt));
        }
        ArrayNode decksPair = reply.putArray("decks");
        ArrayNode decks = decksPair.addArray();
        for (DeckRecord deck : DeckTable.changedSince(db, session.clientUsn)) {
            decks.add(legacyJson.deckToJson(deck));
        }
        ArrayNode configs = decksPair.addArray();
        for (DeckConfigRecord conf : DeckConfigTable.changedSince(db, session.clientUsn)) {
            configs.add(legacyJson.deckConfigToJson(conf));
        }
        ArrayNode tags = reply.putArray("tags");
        String where = session.clientUsn == -1 ? "usn = -1" : "usn >= " + session.clientUsn;
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("select tag from tags where " + where)) {
            while (rs.next()) {
                tags.add(rs.getString(1));
            }
        }
        if (!session.clientIsNewer) {
            ObjectNode conf = reply.putObject("conf");
            try (Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("select key, val from config order by key")) {
                while (rs.next()) {
                    conf.set(rs.getString(1), parseConfigValue(rs.getString(1), rs.getBytes(2)));
                }
            }
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select crt from col")) {
                rs.next();
                reply.put("crt", rs.getLong(1));
            }
            try (Statement st = db.createStatement()) {
                // As the official server does when it sends its config.
                st.executeUpdate("update config set usn = 0");
            }
        }
        return reply;
    }

    private JsonNode parseConfigValue(String key, byte[] value) {
        try {
            return json.readTree(value);
        } catch (IOException e) {
            throw SyncException.internal("config value " + key + " is not JSON", e);
        }
    }

    private void merge(SyncSession session, JsonNode changes, long nowSecs) throws SQLException {
        Connection db = session.db;
        for (JsonNode model : list(changes, "models")) {
            mergeNotetype(db, model, session.serverUsn, nowSecs);
        }
        JsonNode decksPair = changes.get("decks");
        if (decksPair != null && !decksPair.isNull()) {
            if (!decksPair.isArray() || decksPair.size() != 2 || !decksPair.get(0).isArray()
                    || !decksPair.get(1).isArray()) {
                throw JsonArgs.invalid("decks must be [decks, deckConfigs]");
            }
            for (JsonNode deck : decksPair.get(0)) {
                mergeDeck(db, deck, session.serverUsn, nowSecs);
            }
            for (JsonNode conf : decksPair.get(1)) {
                mergeDeckConfig(db, conf);
            }
        }
        for (JsonNode tag : list(changes, "tags")) {
            registerTag(db, JsonArgs.text(tag, "tag"), session.serverUsn);
        }
        JsonNode crt = changes.get("crt");
        if (crt != null && !crt.isNull()) {
            try (PreparedStatement ps = db.prepareStatement("update col set crt = ?")) {
                ps.setLong(1, JsonArgs.integer(crt, "crt"));
                ps.executeUpdate();
            }
        }
        JsonNode conf = changes.get("conf");
        if (conf != null && !conf.isNull()) {
            replaceConfig(db, conf, session.serverUsn, nowSecs);
        }
    }

    private static JsonNode list(JsonNode changes, String key) {
        JsonNode node = changes.get(key);
        if (node == null || node.isNull()) {
            return json().arrayNode();
        }
        if (!node.isArray()) {
            throw JsonArgs.invalid(key + " must be an array");
        }
        return node;
    }

    private static com.fasterxml.jackson.databind.node.JsonNodeFactory json() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    }

    private void mergeNotetype(Connection db, JsonNode model, int serverUsn, long nowSecs) throws SQLException {
        NotetypeRecord incoming = decode(() -> legacyJson.notetypeFromJson(model), "notetype");
        Optional<NotetypeRecord> existing = NotetypeTable.find(db, incoming.id());
        if (existing.isPresent()) {
            NotetypeRecord current = existing.get();
            if (current.mtimeSecs() > incoming.mtimeSecs()) {
                return;
            }
            if (current.fields().size() != incoming.fields().size()
                    || current.templates().size() != incoming.templates().size()) {
                throw SyncException.badRequest("notetype " + incoming.id()
                        + " changed its fields or templates: a full sync is required");
            }
        }
        String name = incoming.name();
        long mtime = incoming.mtimeSecs();
        int usn = incoming.usn();
        while (otherWithName(NotetypeTable.idByName(db, name), incoming.id())) {
            name = name + "+";
            mtime = nowSecs;
            usn = serverUsn;
        }
        NotetypeTable.replace(db, new NotetypeRecord(incoming.id(), name, mtime, usn, incoming.config(),
                incoming.fields(), incoming.templates()));
    }

    private void mergeDeck(Connection db, JsonNode deckJson, int serverUsn, long nowSecs) throws SQLException {
        DeckRecord incoming = decode(() -> legacyJson.deckFromJson(deckJson), "deck");
        Optional<DeckRecord> existing = DeckTable.find(db, incoming.id());
        if (existing.isPresent() && existing.get().mtimeSecs() > incoming.mtimeSecs()) {
            return;
        }
        String name = incoming.name();
        long mtime = incoming.mtimeSecs();
        int usn = incoming.usn();
        while (otherWithName(DeckTable.idByName(db, name), incoming.id())) {
            name = name + "+";
            mtime = nowSecs;
            usn = serverUsn;
        }
        DeckTable.replace(db, new DeckRecord(incoming.id(), name, mtime, usn, incoming.common(), incoming.kind()));
    }

    private void mergeDeckConfig(Connection db, JsonNode confJson) throws SQLException {
        DeckConfigRecord incoming = decode(() -> legacyJson.deckConfigFromJson(confJson), "deck config");
        Optional<DeckConfigRecord> existing = DeckConfigTable.find(db, incoming.id());
        if (existing.isPresent() && existing.get().mtimeSecs() > incoming.mtimeSecs()) {
            return;
        }
        DeckConfigTable.replace(db, incoming);
    }

    private static boolean otherWithName(Optional<Long> idWithName, long ownId) {
        return idWithName.isPresent() && idWithName.get() != ownId;
    }

    private static <T> T decode(java.util.function.Supplier<T> conversion, String what) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            throw SyncException.badRequest("invalid " + what + ": " + e.getMessage(), e);
        }
    }

    /** Registers a tag unless it exists (case-insensitively); a new tag adopts its parents' capitalisation. */
    static void registerTag(Connection db, String rawTag, int serverUsn) throws SQLException {
        String tag = TagNames.normalise(rawTag);
        if (findTag(db, tag).isPresent()) {
            return;
        }
        String[] parts = tag.split("::", -1);
        for (int prefixLength = parts.length - 1; prefixLength > 0; prefixLength--) {
            String prefix = String.join("::", java.util.Arrays.copyOfRange(parts, 0, prefixLength));
            Optional<String> parent = findTag(db, prefix);
            if (parent.isPresent()) {
                tag = parent.get() + tag.substring(prefix.length());
                break;
            }
        }
        try (PreparedStatement ps = db.prepareStatement(
                "insert or ignore into tags (tag, usn, collapsed, config) values (?, ?, 1, null)")) {
            ps.setString(1, tag);
            ps.setInt(2, serverUsn);
            ps.executeUpdate();
        }
    }

    private static Optional<String> findTag(Connection db, String tag) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("select tag from tags where tag = ?")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String found = rs.getString(1);
                    return UnicaseCollation.same(found, tag) ? Optional.of(found) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private void replaceConfig(Connection db, JsonNode conf, int serverUsn, long nowSecs) throws SQLException {
        if (!conf.isObject()) {
            throw JsonArgs.invalid("conf must be an object");
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = conf.fields(); it.hasNext(); ) {
            entries.add(it.next());
        }
        try (Statement st = db.createStatement()) {
            st.executeUpdate("delete from config");
        }
        try (PreparedStatement ps = db.prepareStatement(
                "insert or replace into config (key, usn, mtime_secs, val) values (?, ?, ?, ?)")) {
            for (Map.Entry<String, JsonNode> entry : entries) {
                ps.setString(1, entry.getKey());
                ps.setInt(2, serverUsn);
                ps.setLong(3, nowSecs);
                try {
                    ps.setBytes(4, json.writeValueAsString(entry.getValue()).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw JsonArgs.invalid("config value " + entry.getKey());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
