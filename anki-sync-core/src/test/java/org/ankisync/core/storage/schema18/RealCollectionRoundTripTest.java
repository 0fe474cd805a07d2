package org.ankisync.core.storage.schema18;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.ankisync.core.storage.CollectionDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every notetype, deck and deck config of collections written by the official
 * library: protobuf → JSON must equal the official JSON (tools/make_legacy_json_fixtures.py),
 * and JSON → protobuf must give back the stored blobs.
 */
class RealCollectionRoundTripTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final NotetypeJson NOTETYPES = new NotetypeJson();
    private static final DeckJson DECKS = new DeckJson();
    private static final DeckConfigJson DECK_CONFIGS = new DeckConfigJson();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
        "/org/ankisync/core/storage/new-collection.anki2, new-collection.json",
        "rich-collection.anki2, rich-collection.json"
    })
    void roundTrips(String collection, String fixture) throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream(fixture)) {
            expected = MAPPER.readTree(in);
        }
        Path copy = tmp.resolve("collection.anki2");
        try (InputStream in = getClass().getResourceAsStream(collection)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        try (Connection db = CollectionDatabase.open(copy)) {
            List<NotetypeRecord> notetypes = NotetypeTable.all(db);
            assertEquals(expected.get("notetypes").size(), notetypes.size());
            for (int i = 0; i < notetypes.size(); i++) {
                NotetypeRecord nt = notetypes.get(i);
                ObjectNode json = NOTETYPES.toJson(nt);
                assertSameJson(expected.get("notetypes").get(i), json, "notetype " + nt.name());
                NotetypeRecord back = NOTETYPES.fromJson(reparse(json));
                assertEquals(nt.id(), back.id());
                assertEquals(nt.name(), back.name());
                assertEquals(nt.mtimeSecs(), back.mtimeSecs());
                assertEquals(nt.usn(), back.usn());
                assertArrayEquals(nt.config(), back.config(), "config of " + nt.name());
                assertEquals(nt.fields().size(), back.fields().size());
                for (int f = 0; f < nt.fields().size(); f++) {
                    assertEquals(nt.fields().get(f).ord(), back.fields().get(f).ord());
                    assertEquals(nt.fields().get(f).name(), back.fields().get(f).name());
                    assertArrayEquals(
                            nt.fields().get(f).config(),
                            back.fields().get(f).config(),
                            "field " + f + " of " + nt.name());
                }
                assertEquals(nt.templates().size(), back.templates().size());
                for (int t = 0; t < nt.templates().size(); t++) {
                    TemplateRecord original = nt.templates().get(t);
                    TemplateRecord copied = back.templates().get(t);
                    assertEquals(original.ord(), copied.ord());
                    assertEquals(original.name(), copied.name());
                    assertArrayEquals(original.config(), copied.config(), "template " + t + " of " + nt.name());
                    // no JSON key: the official sync-apply stores 0 for both
                    assertEquals(0, copied.mtimeSecs());
                    assertEquals(0, copied.usn());
                }
            }

            List<DeckRecord> decks = DeckTable.all(db);
            assertEquals(expected.get("decks").size(), decks.size());
            for (int i = 0; i < decks.size(); i++) {
                DeckRecord deck = decks.get(i);
                ObjectNode json = DECKS.toJson(deck);
                assertSameJson(expected.get("decks").get(i), json, "deck " + deck.name());
                DeckRecord back = DECKS.fromJson(reparse(json));
                assertEquals(deck.id(), back.id());
                assertEquals(deck.name(), back.name());
                assertEquals(deck.mtimeSecs(), back.mtimeSecs());
                assertEquals(deck.usn(), back.usn());
                assertArrayEquals(deck.common(), back.common(), "common of " + deck.name());
                assertArrayEquals(deck.kind(), back.kind(), "kind of " + deck.name());
            }

            List<DeckConfigRecord> configs = DeckConfigTable.all(db);
            assertEquals(expected.get("deckConfigs").size(), configs.size());
            for (int i = 0; i < configs.size(); i++) {
                DeckConfigRecord conf = configs.get(i);
                ObjectNode json = DECK_CONFIGS.toJson(conf);
                assertSameJson(expected.get("deckConfigs").get(i), json, "deck config " + conf.name());
                DeckConfigRecord back = DECK_CONFIGS.fromJson(reparse(json));
                assertEquals(conf.id(), back.id());
                assertEquals(conf.name(), back.name());
                assertEquals(conf.mtimeSecs(), back.mtimeSecs());
                assertEquals(conf.usn(), back.usn());
                assertSameDeckConfigBlob(conf.config(), back.config(), "config of " + conf.name());
            }
        }
    }

    /**
     * Deck configs: the bytes are equal, except that the official code writes
     * the top-level {@code other} object from a hash map, so when it holds more
     * than one member (here "new"/"rev" extras and a top-level extra) their
     * order is arbitrary and the JSON → protobuf direction cannot know it. The
     * blobs must then be equal field by field, with {@code other} equal as a
     * JSON object (which is how the official code reads it).
     */
    private static void assertSameDeckConfigBlob(byte[] expected, byte[] actual, String where) throws Exception {
        if (java.util.Arrays.equals(expected, actual)) {
            return;
        }
        var e = org.ankisync.core.storage.schema18.proto.DeckConfigConfig.parseFrom(expected);
        var a = org.ankisync.core.storage.schema18.proto.DeckConfigConfig.parseFrom(actual);
        assertEquals(
                e.toBuilder().clearOther().build(), a.toBuilder().clearOther().build(), where);
        assertEquals(
                MAPPER.readTree(e.getOther().toByteArray()),
                MAPPER.readTree(a.getOther().toByteArray()),
                where + ": other");
        assertEquals(expected.length, actual.length, where + ": length");
    }

    /** Through text, as the sync engine would see it. */
    private JsonNode reparse(JsonNode json) throws Exception {
        return MAPPER.readTree(LegacyJsonWriter.write(json));
    }

    /** The unknown keys the fixtures carry (tools/make_legacy_json_fixtures.py). */
    static final java.util.Set<String> FIXTURE_EXTRA_KEYS = java.util.Set.of(
            "zzExtra", "vers", "tags", "media", "extraTmplKey", "zzDeckExtra", "zzConfExtra", "fuzz", "separate");

    /** Same keys in the same order with equal values (numbers compared by value and integer/float kind). */
    static void assertSameJson(JsonNode expected, JsonNode actual, String where) {
        if (expected.isObject()) {
            assertTrue(actual.isObject(), where + ": expected an object, got " + actual);
            List<String> ek = new ArrayList<>();
            expected.fieldNames().forEachRemaining(ek::add);
            List<String> ak = new ArrayList<>();
            actual.fieldNames().forEachRemaining(ak::add);
            assertEquals(new java.util.TreeSet<>(ek), new java.util.TreeSet<>(ak), where + ": keys");
            // extra keys come from a hash map in the official code: their order is arbitrary
            ek.removeAll(FIXTURE_EXTRA_KEYS);
            ak.removeAll(FIXTURE_EXTRA_KEYS);
            assertEquals(ek, ak, where + ": key order");
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            expected.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertSameJson(e.getValue(), actual.get(e.getKey()), where + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), where + ": expected an array, got " + actual);
            assertEquals(expected.size(), actual.size(), where + ": size");
            for (int i = 0; i < expected.size(); i++) {
                assertSameJson(expected.get(i), actual.get(i), where + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            assertTrue(actual.isNumber(), where + ": expected a number, got " + actual);
            assertEquals(expected.isIntegralNumber(), actual.isIntegralNumber(), where + ": integer vs float");
            if (expected.isIntegralNumber()) {
                assertEquals(expected.bigIntegerValue(), actual.bigIntegerValue(), where);
            } else {
                assertEquals(expected.doubleValue(), actual.doubleValue(), where);
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }
}
