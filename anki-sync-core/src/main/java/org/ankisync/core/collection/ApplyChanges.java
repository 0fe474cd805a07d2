package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.storage.schema18.ColTable;
import org.ankisync.core.storage.schema18.ConfigTable;
import org.ankisync.core.storage.schema18.DeckConfigJson;
import org.ankisync.core.storage.schema18.DeckConfigRecord;
import org.ankisync.core.storage.schema18.DeckConfigTable;
import org.ankisync.core.storage.schema18.DeckJson;
import org.ankisync.core.storage.schema18.DeckRecord;
import org.ankisync.core.storage.schema18.DeckTable;
import org.ankisync.core.storage.schema18.NotetypeJson;
import org.ankisync.core.storage.schema18.NotetypeRecord;
import org.ankisync.core.storage.schema18.NotetypeTable;
import org.ankisync.core.storage.schema18.TagTable;

/**
 * {@code applyChanges}: notetypes, decks, deck configs, tags, config and crt.
 * The server first collects its own changes, then merges the client's, so
 * nothing the client sent is echoed back (collection-sync.md 4.5).
 */
final class ApplyChanges implements SyncStep {
    private final ObjectMapper json;
    private final Clock clock;
    private final NotetypeJson notetypeJson;
    private final DeckJson deckJson;
    private final DeckConfigJson deckConfigJson;

    ApplyChanges(ObjectMapper json, Clock clock, NotetypeJson notetypeJson) {
        this.json = json;
        this.clock = clock;
        this.notetypeJson = notetypeJson;
        this.deckJson = new DeckJson();
        this.deckConfigJson = new DeckConfigJson();
    }

    @Override
    public SyncReply handle(StepCall call) throws IOException, SQLException {
        JsonNode changes = JsonArgs.required(call.body(), "changes");
        return call.json(exchange(call.session(), changes, clock.millis() / 1000));
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
            models.add(notetypeJson.toJson(nt));
        }
        ArrayNode decksPair = reply.putArray("decks");
        ArrayNode decks = decksPair.addArray();
        for (DeckRecord deck : DeckTable.changedSince(db, session.clientUsn)) {
            decks.add(deckJson.toJson(deck));
        }
        ArrayNode configs = decksPair.addArray();
        for (DeckConfigRecord conf : DeckConfigTable.changedSince(db, session.clientUsn)) {
            configs.add(deckConfigJson.toJson(conf));
        }
        ArrayNode tags = reply.putArray("tags");
        for (String tag : TagTable.changedSince(db, session.clientUsn)) {
            tags.add(tag);
        }
        if (!session.clientIsNewer) {
            ObjectNode conf = reply.putObject("conf");
            for (Map.Entry<String, byte[]> entry : ConfigTable.all(db).entrySet()) {
                conf.set(entry.getKey(), parseConfigValue(entry.getKey(), entry.getValue()));
            }
            reply.put("crt", ColTable.crt(db));
            ConfigTable.markSent(db);
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
            if (!decksPair.isArray()
                    || decksPair.size() != 2
                    || !decksPair.get(0).isArray()
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
            TagTable.register(db, JsonArgs.text(tag, "tag"), session.serverUsn);
        }
        JsonNode crt = changes.get("crt");
        if (crt != null && !crt.isNull()) {
            ColTable.setCrt(db, JsonArgs.integer(crt, "crt"));
        }
        JsonNode conf = changes.get("conf");
        if (conf != null && !conf.isNull()) {
            replaceConfig(db, conf, session.serverUsn, nowSecs);
        }
    }

    private static JsonNode list(JsonNode changes, String key) {
        JsonNode node = changes.get(key);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!node.isArray()) {
            throw JsonArgs.invalid(key + " must be an array");
        }
        return node;
    }

    private void mergeNotetype(Connection db, JsonNode model, int serverUsn, long nowSecs) throws SQLException {
        NotetypeRecord incoming = decode(() -> notetypeJson.fromJson(model), "notetype");
        Optional<NotetypeRecord> existing = NotetypeTable.find(db, incoming.id());
        if (existing.isPresent()) {
            NotetypeRecord current = existing.get();
            if (current.mtimeSecs() > incoming.mtimeSecs()) {
                return;
            }
            if (current.fields().size() != incoming.fields().size()
                    || current.templates().size() != incoming.templates().size()) {
                throw SyncException.badRequest(
                        "notetype " + incoming.id() + " changed its fields or templates: a full sync is required");
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
        NotetypeTable.replace(
                db,
                new NotetypeRecord(
                        incoming.id(), name, mtime, usn, incoming.config(), incoming.fields(), incoming.templates()));
    }

    private void mergeDeck(Connection db, JsonNode deck, int serverUsn, long nowSecs) throws SQLException {
        DeckRecord incoming = decode(() -> deckJson.fromJson(deck), "deck");
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
        DeckConfigRecord incoming = decode(() -> deckConfigJson.fromJson(confJson), "deck config");
        Optional<DeckConfigRecord> existing = DeckConfigTable.find(db, incoming.id());
        if (existing.isPresent() && existing.get().mtimeSecs() > incoming.mtimeSecs()) {
            return;
        }
        DeckConfigTable.replace(db, incoming);
    }

    private static boolean otherWithName(Optional<Long> idWithName, long ownId) {
        return idWithName.isPresent() && idWithName.get() != ownId;
    }

    private static <T> T decode(Supplier<T> conversion, String what) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            throw SyncException.badRequest("invalid " + what + ": " + e.getMessage(), e);
        }
    }

    private void replaceConfig(Connection db, JsonNode conf, int serverUsn, long nowSecs) throws SQLException {
        if (!conf.isObject()) {
            throw JsonArgs.invalid("conf must be an object");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = conf.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                entries.put(
                        entry.getKey(),
                        json.writeValueAsString(entry.getValue()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw JsonArgs.invalid("config value " + entry.getKey());
            }
        }
        ConfigTable.replaceAll(db, entries, serverUsn, nowSecs);
    }
}
