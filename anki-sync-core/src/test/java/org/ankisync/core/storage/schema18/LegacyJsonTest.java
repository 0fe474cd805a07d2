package org.ankisync.core.storage.schema18;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.schema18.proto.DeckCommon;
import org.ankisync.core.storage.schema18.proto.DeckConfigConfig;
import org.ankisync.core.storage.schema18.proto.DeckKindContainer;
import org.ankisync.core.storage.schema18.proto.NotetypeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples and rules of legacy-json.md. */
class LegacyJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final NotetypeJson NOTETYPES = new NotetypeJson();
    private static final DeckJson DECKS = new DeckJson();
    private static final DeckConfigJson DECK_CONFIGS = new DeckConfigJson();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    // §3.6, first example
    private static final String DEFAULT_DECK = "{\"id\":1,\"mod\":0,\"name\":\"Default\",\"usn\":0,"
            + "\"lrnToday\":[0,0],\"revToday\":[0,0],\"newToday\":[0,0],\"timeToday\":[0,0],\"collapsed\":true,"
            + "\"browserCollapsed\":true,\"desc\":\"\",\"dyn\":0,\"conf\":1,\"extendNew\":0,\"extendRev\":0,"
            + "\"reviewLimit\":null,\"newLimit\":null,\"reviewLimitToday\":null,\"newLimitToday\":null,"
            + "\"desiredRetention\":null}";

    // §3.6, second example
    private static final String FILTERED_DECK = "{\"id\":1700000001234,\"mod\":1700000001,"
            + "\"name\":\"Filtered Deck 1\",\"usn\":-1,\"lrnToday\":[0,0],\"revToday\":[0,0],\"newToday\":[0,0],"
            + "\"timeToday\":[0,0],\"collapsed\":true,\"browserCollapsed\":true,\"desc\":\"\",\"dyn\":1,"
            + "\"resched\":true,\"terms\":[[\"\",100,1],[\"\",20,6]],\"separate\":true,\"delays\":null,"
            + "\"previewDelay\":0,\"previewAgainSecs\":60,\"previewHardSecs\":600,\"previewGoodSecs\":0}";

    // §4.7
    private static final String DEFAULT_CONF = "{\"id\":1,\"mod\":0,\"name\":\"Default\",\"usn\":0,\"maxTaken\":60,"
            + "\"autoplay\":true,\"timer\":0,\"replayq\":true,\"new\":{\"bury\":false,\"delays\":[1.0,10.0],"
            + "\"initialFactor\":2500,\"ints\":[1,4,0],\"order\":1,\"perDay\":20},\"rev\":{\"bury\":false,"
            + "\"ease4\":1.3,\"ivlFct\":1.0,\"maxIvl\":36500,\"perDay\":200,\"hardFactor\":1.2},"
            + "\"lapse\":{\"delays\":[10.0],\"leechAction\":1,\"leechFails\":8,\"minInt\":1,\"mult\":0.0},"
            + "\"dyn\":false,\"newMix\":0,\"newPerDayMinimum\":0,\"interdayLearningMix\":0,\"reviewOrder\":0,"
            + "\"newSortOrder\":0,\"newGatherPriority\":0,\"buryInterdayLearning\":false,\"fsrsWeights\":[],"
            + "\"fsrsParams5\":[],\"fsrsParams6\":[],\"desiredRetention\":0.9,\"ignoreRevlogsBeforeDate\":\"\","
            + "\"easyDaysPercentages\":[1.0,1.0,1.0,1.0,1.0,1.0,1.0],\"stopTimerOnAnswer\":false,"
            + "\"secondsToShowQuestion\":0.0,\"secondsToShowAnswer\":0.0,\"questionAction\":0,\"answerAction\":0,"
            + "\"waitForAudio\":true,\"sm2Retention\":0.9,\"weightSearch\":\"\"}";

    // §2.7 (CSS and LaTeX shortened)
    private static final String BASIC = "{\"id\":1700000000000,\"name\":\"Basic\",\"type\":0,\"mod\":0,\"usn\":0,"
            + "\"sortf\":0,\"did\":null,\"tmpls\":[{\"name\":\"Card 1\",\"ord\":0,\"qfmt\":\"{{Front}}\","
            + "\"afmt\":\"{{FrontSide}}\\n\\n<hr id=answer>\\n\\n{{Back}}\",\"bqfmt\":\"\",\"bafmt\":\"\","
            + "\"did\":null,\"bfont\":\"\",\"bsize\":0,\"id\":-3412894529182736123}],"
            + "\"flds\":[{\"name\":\"Front\",\"ord\":0,\"sticky\":false,\"rtl\":false,\"font\":\"Arial\",\"size\":20,"
            + "\"description\":\"\",\"plainText\":false,\"collapsed\":false,\"excludeFromSearch\":false,"
            + "\"id\":7723419283746152341,\"tag\":null,\"preventDeletion\":false},"
            + "{\"name\":\"Back\",\"ord\":1,\"sticky\":false,\"rtl\":false,\"font\":\"Arial\",\"size\":20,"
            + "\"description\":\"\",\"plainText\":false,\"collapsed\":false,\"excludeFromSearch\":false,"
            + "\"id\":-118273645512093847,\"tag\":null,\"preventDeletion\":false}],"
            + "\"css\":\".card {}\",\"latexPre\":\"\\\\begin{document}\",\"latexPost\":\"\\\\end{document}\","
            + "\"latexsvg\":false,\"req\":[[0,\"any\",[0]]],\"originalStockKind\":1}";

    @Test
    void specExamplesRoundTripToTheSameText() throws Exception {
        assertEquals(BASIC, LegacyJsonWriter.write(NOTETYPES.toJson(NOTETYPES.fromJson(json(BASIC)))));
        assertEquals(DEFAULT_DECK, LegacyJsonWriter.write(DECKS.toJson(DECKS.fromJson(json(DEFAULT_DECK)))));
        assertEquals(FILTERED_DECK, LegacyJsonWriter.write(DECKS.toJson(DECKS.fromJson(json(FILTERED_DECK)))));
        assertEquals(
                DEFAULT_CONF, LegacyJsonWriter.write(DECK_CONFIGS.toJson(DECK_CONFIGS.fromJson(json(DEFAULT_CONF)))));
    }

    @Test
    void unknownKeysSurviveThroughOther() throws Exception {
        ObjectNode nt = (ObjectNode) json(BASIC);
        nt.put("vers", "x");
        nt.putArray("tags");
        ((ObjectNode) nt.get("flds").get(0)).putArray("media");
        NotetypeRecord rec = NOTETYPES.fromJson(nt);
        NotetypeConfig c = NotetypeConfig.parseFrom(rec.config());
        assertEquals("{\"vers\":\"x\",\"tags\":[]}", c.getOther().toStringUtf8());
        ObjectNode back = NOTETYPES.toJson(rec);
        assertEquals("x", back.get("vers").asText());
        assertTrue(back.get("flds").get(0).get("media").isArray());
        // reserved keys in other never override named keys
        NotetypeRecord tampered = new NotetypeRecord(
                rec.id(),
                rec.name(),
                rec.mtimeSecs(),
                rec.usn(),
                c.toBuilder()
                        .setOther(com.google.protobuf.ByteString.copyFromUtf8("{\"css\":\"evil\",\"z\":1}"))
                        .build()
                        .toByteArray(),
                rec.fields(),
                rec.templates());
        ObjectNode out = NOTETYPES.toJson(tampered);
        assertEquals(".card {}", out.get("css").asText());
        assertEquals(1, out.get("z").asInt());
        // invalid other is treated as empty
        NotetypeRecord broken = new NotetypeRecord(
                rec.id(),
                rec.name(),
                rec.mtimeSecs(),
                rec.usn(),
                c.toBuilder()
                        .setOther(com.google.protobuf.ByteString.copyFromUtf8("not json"))
                        .build()
                        .toByteArray(),
                rec.fields(),
                rec.templates());
        assertFalse(NOTETYPES.toJson(broken).has("vers"));
    }

    @Test
    void ordinalsAreRenumberedAndTemplateTimesZeroed() throws Exception {
        ObjectNode nt = (ObjectNode) json(BASIC);
        ((ObjectNode) nt.get("flds").get(0)).put("ord", 7);
        ((ObjectNode) nt.get("flds").get(1)).putNull("ord");
        NotetypeRecord rec = NOTETYPES.fromJson(nt);
        assertEquals(0, rec.fields().get(0).ord());
        assertEquals(1, rec.fields().get(1).ord());
        assertEquals(0, rec.templates().get(0).mtimeSecs());
        assertEquals(0, rec.templates().get(0).usn());
    }

    @Test
    void notetypeLeniencyAndErrors() throws Exception {
        ObjectNode nt = (ObjectNode) json(BASIC);
        nt.put("id", "1700000000000"); // num|str
        nt.put("did", "garbage"); // lenient -> 0 -> null
        nt.put("css", 5); // lenient -> ""
        nt.put("req", "bad"); // lenient -> []
        ((ObjectNode) nt.get("flds").get(0)).put("sticky", "TRUE"); // bool*
        ((ObjectNode) nt.get("flds").get(1)).put("rtl", 1.0);
        ((ObjectNode) nt.get("tmpls").get(0)).put("bsize", 300); // lenient u8 -> 0
        NotetypeRecord rec = NOTETYPES.fromJson(nt);
        assertEquals(1700000000000L, rec.id());
        ObjectNode back = NOTETYPES.toJson(rec);
        assertTrue(back.get("did").isNull());
        assertEquals("", back.get("css").asText());
        assertEquals(0, back.get("req").size());
        assertTrue(back.get("flds").get(0).get("sticky").asBoolean());
        assertTrue(back.get("flds").get(1).get("rtl").asBoolean());
        assertEquals(0, back.get("tmpls").get(0).get("bsize").asInt());

        ObjectNode badType = (ObjectNode) json(BASIC);
        badType.put("type", 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NOTETYPES.fromJson(badType))
                .getMessage()
                .contains("type"));
        ObjectNode floatMod = (ObjectNode) json(BASIC);
        floatMod.put("mod", 1.5);
        assertThrows(IllegalArgumentException.class, () -> NOTETYPES.fromJson(floatMod));
        ObjectNode noCss = (ObjectNode) json(BASIC);
        noCss.remove("css");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NOTETYPES.fromJson(noCss))
                .getMessage()
                .contains("css"));
        ObjectNode noFont = (ObjectNode) json(BASIC);
        ((ObjectNode) noFont.get("flds").get(1)).remove("font");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NOTETYPES.fromJson(noFont))
                .getMessage()
                .contains("flds[1]"));
    }

    @Test
    void deckNamesAreNormalised() throws Exception {
        ObjectNode deck = (ObjectNode) json(DEFAULT_DECK);
        deck.put("name", " A ::B\u0001:: ::e\u0301");
        DeckRecord rec = DECKS.fromJson(deck);
        assertEquals("A\u001fB\u001fblank\u001f\u00e9", rec.name());
        assertEquals("A::B::blank::\u00e9", DECKS.toJson(rec).get("name").asText());
        assertEquals("blank", DeckNames.fromHuman(""));
        assertEquals("x", DeckNames.fromHuman("\u00a0:x:\u3000"));
    }

    @Test
    void todayArraysFollowTheUpgradeRules() throws Exception {
        ObjectNode deck = (ObjectNode) json(DEFAULT_DECK);
        deck.putArray("lrnToday").add(5).add(3);
        deck.putArray("revToday").add(7).add(4);
        deck.putArray("newToday").add(6).add(2);
        deck.putArray("timeToday").add(1).add(9000);
        DeckCommon common = DeckCommon.parseFrom(DECKS.fromJson(deck).common());
        assertEquals(7, common.getLastDayStudied());
        assertEquals(0, common.getLearningStudied());
        assertEquals(4, common.getReviewStudied());
        assertEquals(0, common.getNewStudied());
        assertEquals(9000, common.getMillisecondsStudied());
        ObjectNode back = DECKS.toJson(DECKS.fromJson(deck));
        assertEquals("[7,0]", back.get("lrnToday").toString());
        assertEquals("[7,9000]", back.get("timeToday").toString());
    }

    @Test
    void deckKindAndNormalOptions() throws Exception {
        ObjectNode deck = (ObjectNode) json(DEFAULT_DECK);
        deck.put("dyn", false);
        deck.put("desiredRetention", 90);
        deck.put("extendNew", -5);
        deck.put("md", true);
        deck.put("return", true);
        deck.putObject("reviewLimitToday").put("limit", 3).put("today", 12);
        deck.put("terms", "kept as extra");
        DeckRecord rec = DECKS.fromJson(deck);
        DeckKindContainer kind = DeckKindContainer.parseFrom(rec.kind());
        assertTrue(kind.hasNormal());
        assertEquals(0.9f, kind.getNormal().getDesiredRetention());
        assertEquals(0, kind.getNormal().getExtendNew());
        ObjectNode back = DECKS.toJson(rec);
        assertEquals(90, back.get("desiredRetention").asInt()); // f32 arithmetic: not 89
        assertTrue(back.get("md").asBoolean());
        assertFalse(back.has("return"));
        assertEquals("{\"limit\":3,\"today\":12}", back.get("reviewLimitToday").toString());
        assertEquals("kept as extra", back.get("terms").asText());

        ObjectNode filtered = (ObjectNode) json(FILTERED_DECK);
        filtered.put("dyn", true);
        filtered.put("conf", 1); // not a filtered key: into other, stripped on the way out
        filtered.put("md", true);
        filtered.put("desc", "dropped");
        ObjectNode fback = DECKS.toJson(DECKS.fromJson(filtered));
        assertEquals(1, fback.get("dyn").asInt());
        assertFalse(fback.has("conf"));
        assertFalse(fback.has("md"));
        assertEquals("", fback.get("desc").asText());

        ObjectNode badDyn = (ObjectNode) json(DEFAULT_DECK);
        badDyn.put("dyn", "1");
        assertThrows(IllegalArgumentException.class, () -> DECKS.fromJson(badDyn));
        ObjectNode dyn2 = (ObjectNode) json(DEFAULT_DECK);
        dyn2.put("dyn", 2);
        assertTrue(DeckKindContainer.parseFrom(DECKS.fromJson(dyn2).kind()).hasNormal());
    }

    @Test
    void deckConfigConversionsAndRanges() throws Exception {
        ObjectNode conf = (ObjectNode) json(DEFAULT_CONF);
        ((ObjectNode) conf.get("new"))
                .put("initialFactor", 2300)
                .put("order", 0)
                .put("separate", true);
        ((ObjectNode) conf.get("rev")).put("fuzz", 0.05);
        conf.put("autoplay", false).put("timer", 1).put("replayq", false).put("newMix", 2);
        conf.put("maxTaken", -3);
        conf.put("zz", "top");
        DeckConfigRecord rec = DECK_CONFIGS.fromJson(conf);
        DeckConfigConfig c = DeckConfigConfig.parseFrom(rec.config());
        assertEquals(2.3f, c.getInitialEase());
        assertEquals(1, c.getNewCardInsertOrder()); // inverted: 0 -> RANDOM (1)
        assertTrue(c.getDisableAutoplay());
        assertTrue(c.getShowTimer());
        assertTrue(c.getSkipQuestionWhenReplayingAnswer());
        assertEquals(0, c.getCapAnswerTimeToSecs());
        assertEquals(
                "{\"zz\":\"top\",\"new\":{\"separate\":true},\"rev\":{\"fuzz\":0.05}}",
                c.getOther().toStringUtf8());
        ObjectNode back = DECK_CONFIGS.toJson(rec);
        assertEquals(2300, back.get("new").get("initialFactor").asInt()); // f32: not 2299
        assertEquals(0, back.get("new").get("order").asInt());
        assertEquals(true, back.get("new").get("separate").asBoolean());
        assertEquals(0.05, back.get("rev").get("fuzz").asDouble());
        assertEquals("top", back.get("zz").asText());
        assertEquals(60, back.get("maxTaken").asInt()); // 0 is out of range: default

        // a broken sub-object takes its defaults; missing desiredRetention becomes 0.9 on read
        ObjectNode broken = (ObjectNode) json(DEFAULT_CONF);
        ((ObjectNode) broken.get("rev")).remove("ease4");
        ((ObjectNode) broken.get("rev")).put("perDay", 999);
        broken.remove("desiredRetention");
        broken.remove("replayq");
        DeckConfigRecord brec = DECK_CONFIGS.fromJson(broken);
        assertEquals(0f, DeckConfigConfig.parseFrom(brec.config()).getDesiredRetention());
        ObjectNode bback = DECK_CONFIGS.toJson(brec);
        assertEquals(200, bback.get("rev").get("perDay").asInt());
        assertEquals(0.9, bback.get("desiredRetention").asDouble());
        assertFalse(bback.get("replayq").asBoolean());

        ObjectNode badAction = (ObjectNode) json(DEFAULT_CONF);
        badAction.put("questionAction", 2);
        assertThrows(IllegalArgumentException.class, () -> DECK_CONFIGS.fromJson(badAction));
        ObjectNode noTimer = (ObjectNode) json(DEFAULT_CONF);
        noTimer.remove("timer");
        assertThrows(IllegalArgumentException.class, () -> DECK_CONFIGS.fromJson(noTimer));
    }

    @Test
    void floatsAreWrittenInShortestF32Form() throws Exception {
        assertEquals("0.9", Json.formatF32(0.9f));
        assertEquals("1.0", Json.formatF32(1.0f));
        assertEquals("0.00001", Json.formatF32(1e-5f));
        assertEquals("1e-7", Json.formatF32(1e-7f));
        assertEquals("1.5e13", Json.formatF32(1.5e13f));
        assertEquals("0.1", LegacyJsonWriter.write(Json.f32Node(0.1f)));
        assertEquals("null", LegacyJsonWriter.write(Json.f32Node(Float.NaN)));
        assertEquals(
                "\"a\\u001fb\\n/\u00e9\u007f\"",
                LegacyJsonWriter.write(MAPPER.getNodeFactory().textNode("a\u001fb\n/\u00e9\u007f")));
        assertEquals(
                "{\"b\":{\"a\":1,\"z\":2.5},\"a\":1e-7}",
                Json.write(json("{\"b\":{\"z\":2.5,\"a\":1},\"a\":1e-7}"), false));
    }

    @Test
    void tablesWriteAndReadRows(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("collection.anki2");
        try (var in = getClass().getResourceAsStream("/org/ankisync/core/storage/new-collection.anki2")) {
            Files.copy(in, file);
        }
        try (Connection db = CollectionDatabase.open(file)) {
            db.setAutoCommit(false);
            assertEquals(6, NotetypeTable.count(db));
            assertEquals(1, DeckTable.count(db));
            assertEquals(1, DeckConfigTable.count(db));

            NotetypeRecord basic = NOTETYPES.fromJson(json(BASIC.replace("\"Basic\"", "\"My Basic\"")));
            NotetypeTable.replace(db, basic);
            assertEquals(7, NotetypeTable.count(db));
            assertEquals(basic.id(), NotetypeTable.idByName(db, "MY BASIC").orElseThrow());
            NotetypeRecord read = NotetypeTable.find(db, basic.id()).orElseThrow();
            assertArrayEquals(basic.config(), read.config());
            assertEquals(2, read.fields().size());
            // replacing with fewer fields removes the old rows
            ObjectNode oneField = (ObjectNode) json(BASIC.replace("\"Basic\"", "\"My Basic\""));
            ((com.fasterxml.jackson.databind.node.ArrayNode) oneField.get("flds")).remove(1);
            oneField.put("usn", 5);
            NotetypeTable.replace(db, NOTETYPES.fromJson(oneField));
            assertEquals(
                    1, NotetypeTable.find(db, basic.id()).orElseThrow().fields().size());
            assertEquals(1, NotetypeTable.changedSince(db, 5).size());

            ObjectNode deck = (ObjectNode) json(DEFAULT_DECK);
            deck.put("id", 42).put("name", "Parent::Child").put("usn", 3);
            DeckTable.replace(db, DECKS.fromJson(deck));
            assertEquals(42L, DeckTable.idByName(db, "parent\u001fchild").orElseThrow());
            assertEquals(1, DeckTable.changedSince(db, 3).size());
            assertTrue(DeckTable.remove(db, 42));
            assertEquals(1, DeckTable.count(db));

            ObjectNode conf = (ObjectNode) json(DEFAULT_CONF);
            conf.put("id", 9).put("name", "Other").put("usn", 2);
            DeckConfigTable.replace(db, DECK_CONFIGS.fromJson(conf));
            assertEquals(2, DeckConfigTable.count(db));
            assertEquals("Other", DeckConfigTable.find(db, 9).orElseThrow().name());
            assertEquals(1, DeckConfigTable.changedSince(db, 1).size());
            assertEquals("ok", CollectionDatabase.integrityCheck(db));
            try (var st = db.createStatement();
                    var rs = st.executeQuery("select typeof(config) from notetypes where id = " + basic.id())) {
                rs.next();
                assertEquals("blob", rs.getString(1));
            }
            db.rollback();
        }
    }

    @Test
    void invalidInputGivesClearMessages() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DECKS.fromJson(MAPPER.getNodeFactory().textNode("x")));
        assertTrue(e.getMessage().contains("object"));
        assertThrows(
                IllegalArgumentException.class,
                () -> DECKS.toJson(new DeckRecord(1, "x", 0, 0, new byte[0], new byte[0])));
        assertThrows(
                IllegalArgumentException.class,
                () -> DECK_CONFIGS.toJson(
                        new DeckConfigRecord(1, "x", 0, 0, "garbage".getBytes(StandardCharsets.UTF_8))));
    }
}
