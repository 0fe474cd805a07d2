package org.ankisync.core.storage.schema18;

import static org.ankisync.core.storage.schema18.Json.NODES;
import static org.ankisync.core.storage.schema18.Json.U32_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ankisync.core.storage.schema18.proto.DeckConfigConfig;

/**
 * Converts deck config rows (protobuf blobs) to the legacy schema-11 JSON used by
 * incremental sync, and back, following legacy-json.md: key order, the
 * {@code other} mechanism for unknown keys, null versus absent, the read
 * leniency of each key, and the range validation.
 *
 * <p>Floats (f32 in the official code) are returned as {@code DoubleNode}s
 * holding the double nearest to the shortest decimal form of the f32, so a
 * standard JSON writer prints {@code 0.9}, not {@code 0.8999999761581421};
 * {@link LegacyJsonWriter} writes the text byte-for-byte as serde_json would.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeckConfigJson {

    private static final Set<String> DCONF_KEYS = Set.of(
            "id",
            "mod",
            "name",
            "usn",
            "maxTaken",
            "autoplay",
            "timer",
            "replayq",
            "new",
            "rev",
            "lapse",
            "dyn",
            "newMix",
            "newPerDayMinimum",
            "interdayLearningMix",
            "reviewOrder",
            "newSortOrder",
            "newGatherPriority",
            "buryInterdayLearning",
            "fsrsWeights",
            "fsrsParams5",
            "fsrsParams6",
            "desiredRetention",
            "ignoreRevlogsBeforeDate",
            "easyDaysPercentages",
            "stopTimerOnAnswer",
            "secondsToShowQuestion",
            "secondsToShowAnswer",
            "questionAction",
            "answerAction",
            "waitForAudio",
            "sm2Retention",
            "weightSearch");
    private static final Set<String> DCONF_RESERVED = DCONF_KEYS.stream()
            .filter(k -> !k.equals("new") && !k.equals("rev") && !k.equals("lapse"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> DCONF_NEW_KEYS =
            Set.of("bury", "delays", "initialFactor", "ints", "order", "perDay");
    private static final Set<String> DCONF_REV_KEYS =
            Set.of("bury", "ease4", "ivlFct", "maxIvl", "perDay", "hardFactor");
    private static final Set<String> DCONF_LAPSE_KEYS = Set.of("delays", "leechAction", "leechFails", "minInt", "mult");

    public DeckConfigJson() {}

    public ObjectNode toJson(DeckConfigRecord conf) {
        DeckConfigConfig c =
                validated(Json.parseBlob(conf.config(), DeckConfigConfig.parser(), "deck config " + conf.id()));
        ObjectNode extra = Json.parseOther(c.getOther().toByteArray());
        ObjectNode newExtra = subObject(extra.remove("new"));
        ObjectNode revExtra = subObject(extra.remove("rev"));
        ObjectNode lapseExtra = subObject(extra.remove("lapse"));

        ObjectNode o = NODES.objectNode();
        o.put("id", conf.id());
        o.put("mod", conf.mtimeSecs());
        o.put("name", conf.name());
        o.put("usn", conf.usn());
        o.put("maxTaken", c.getCapAnswerTimeToSecs());
        o.put("autoplay", !c.getDisableAutoplay());
        o.put("timer", c.getShowTimer() ? 1 : 0);
        o.put("replayq", !c.getSkipQuestionWhenReplayingAnswer());

        ObjectNode nw = o.putObject("new");
        nw.put("bury", c.getBuryNew());
        f32Array(nw.putArray("delays"), c.getLearnStepsList());
        nw.put("initialFactor", Math.min(Json.f32ToUnsigned(c.getInitialEase() * 1000f), 0xffff));
        nw.putArray("ints")
                .add(c.getGraduatingIntervalGood() & 0xffff)
                .add(c.getGraduatingIntervalEasy() & 0xffff)
                .add(0);
        nw.put("order", c.getNewCardInsertOrder() == 1 ? 0 : 1);
        nw.put("perDay", Integer.toUnsignedLong(c.getNewPerDay()));
        Json.appendExtra(nw, newExtra, DCONF_NEW_KEYS);

        ObjectNode rev = o.putObject("rev");
        rev.put("bury", c.getBuryReviews());
        rev.set("ease4", Json.f32Node(c.getEasyMultiplier()));
        rev.set("ivlFct", Json.f32Node(c.getIntervalMultiplier()));
        rev.put("maxIvl", Integer.toUnsignedLong(c.getMaximumReviewInterval()));
        rev.put("perDay", Integer.toUnsignedLong(c.getReviewsPerDay()));
        rev.set("hardFactor", Json.f32Node(c.getHardMultiplier()));
        Json.appendExtra(rev, revExtra, DCONF_REV_KEYS);

        ObjectNode lapse = o.putObject("lapse");
        f32Array(lapse.putArray("delays"), c.getRelearnStepsList());
        lapse.put("leechAction", c.getLeechAction() == 1 ? 1 : 0);
        lapse.put("leechFails", Integer.toUnsignedLong(c.getLeechThreshold()));
        lapse.put("minInt", Integer.toUnsignedLong(c.getMinimumLapseInterval()));
        lapse.set("mult", Json.f32Node(c.getLapseMultiplier()));
        Json.appendExtra(lapse, lapseExtra, DCONF_LAPSE_KEYS);

        o.put("dyn", false);
        o.put("newMix", c.getNewMix());
        o.put("newPerDayMinimum", Integer.toUnsignedLong(c.getNewPerDayMinimum()));
        o.put("interdayLearningMix", c.getInterdayLearningMix());
        o.put("reviewOrder", c.getReviewOrder());
        o.put("newSortOrder", c.getNewCardSortOrder());
        o.put("newGatherPriority", c.getNewCardGatherPriority());
        o.put("buryInterdayLearning", c.getBuryInterdayLearning());
        f32Array(o.putArray("fsrsWeights"), c.getFsrsParams4List());
        f32Array(o.putArray("fsrsParams5"), c.getFsrsParams5List());
        f32Array(o.putArray("fsrsParams6"), c.getFsrsParams6List());
        o.set("desiredRetention", Json.f32Node(c.getDesiredRetention()));
        o.put("ignoreRevlogsBeforeDate", c.getIgnoreRevlogsBeforeDate());
        f32Array(o.putArray("easyDaysPercentages"), c.getEasyDaysPercentagesList());
        o.put("stopTimerOnAnswer", c.getStopTimerOnAnswer());
        o.set("secondsToShowQuestion", Json.f32Node(c.getSecondsToShowQuestion()));
        o.set("secondsToShowAnswer", Json.f32Node(c.getSecondsToShowAnswer()));
        o.put("questionAction", c.getQuestionAction() == 1 ? 1 : 0);
        int answerAction = c.getAnswerAction();
        o.put("answerAction", answerAction >= 1 && answerAction <= 4 ? answerAction : 0);
        o.put("waitForAudio", c.getWaitForAudio());
        o.set("sm2Retention", Json.f32Node(c.getHistoricalRetention()));
        o.put("weightSearch", c.getParamSearch());
        Json.appendExtra(o, extra, DCONF_RESERVED);
        return o;
    }

    private static ObjectNode subObject(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : NODES.objectNode();
    }

    private static void f32Array(ArrayNode target, List<Float> values) {
        values.forEach(v -> target.add(Json.f32Node(v)));
    }

    /**
     * The range validation of legacy-json.md 4.5, applied to every stored
     * config that is read: NaN or out-of-range values take the default.
     */
    public static DeckConfigConfig validated(DeckConfigConfig c) {
        DeckConfigConfig.Builder b = c.toBuilder();
        b.setNewPerDay(u32(c.getNewPerDay(), 0, 9999, 20));
        b.setReviewsPerDay(u32(c.getReviewsPerDay(), 0, 9999, 200));
        b.setNewPerDayMinimum(u32(c.getNewPerDayMinimum(), 0, 9999, 0));
        b.setInitialEase(f32(c.getInitialEase(), 1.31f, 5.0f, 2.5f));
        b.setEasyMultiplier(f32(c.getEasyMultiplier(), 1.0f, 5.0f, 1.3f));
        b.setHardMultiplier(f32(c.getHardMultiplier(), 0.5f, 1.3f, 1.2f));
        b.setLapseMultiplier(f32(c.getLapseMultiplier(), 0.0f, 1.0f, 0.0f));
        b.setIntervalMultiplier(f32(c.getIntervalMultiplier(), 0.5f, 2.0f, 1.0f));
        b.setMaximumReviewInterval(u32(c.getMaximumReviewInterval(), 1, 36_500, 36_500));
        b.setMinimumLapseInterval(u32(c.getMinimumLapseInterval(), 1, 36_500, 1));
        b.setGraduatingIntervalGood(u32(c.getGraduatingIntervalGood(), 1, 36_500, 1));
        b.setGraduatingIntervalEasy(u32(c.getGraduatingIntervalEasy(), 1, 36_500, 4));
        b.setLeechThreshold(u32(c.getLeechThreshold(), 1, 9999, 8));
        b.setCapAnswerTimeToSecs(u32(c.getCapAnswerTimeToSecs(), 1, 9999, 60));
        b.setDesiredRetention(f32(c.getDesiredRetention(), 0.7f, 0.99f, 0.9f));
        b.setHistoricalRetention(f32(c.getHistoricalRetention(), 0.7f, 0.97f, 0.9f));
        return b.build();
    }

    private static int u32(int value, long min, long max, int dflt) {
        long v = Integer.toUnsignedLong(value);
        return v < min || v > max ? dflt : value;
    }

    private static float f32(float value, float min, float max, float dflt) {
        return Float.isNaN(value) || value < min || value > max ? dflt : value;
    }

    public DeckConfigRecord fromJson(JsonNode json) {
        String where = "deck config";
        ObjectNode o = Json.object(json, where);
        long id = Json.numOrStr(Json.required(o, "id", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".id");
        where = "deck config " + id;
        long mod = Json.numOrStr(Json.required(o, "mod", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".mod");
        String name = Json.string(Json.required(o, "name", where), where + ".name");
        int usn = (int)
                Json.strictInt(Json.required(o, "usn", where), Integer.MIN_VALUE, Integer.MAX_VALUE, where + ".usn");
        long maxTaken = Json.strictInt(
                Json.required(o, "maxTaken", where), Integer.MIN_VALUE, Integer.MAX_VALUE, where + ".maxTaken");
        boolean autoplay = Json.strictBool(Json.required(o, "autoplay", where), where + ".autoplay");
        Long timer = Json.lenientInt(Json.required(o, "timer", where), 0, 255);
        boolean replayq = Json.optionalStrictBool(o, "replayq", false, where);
        JsonNode newNode = Json.required(o, "new", where);
        JsonNode revNode = Json.required(o, "rev", where);
        JsonNode lapseNode = Json.required(o, "lapse", where);

        DeckConfigConfig.Builder c = DeckConfigConfig.newBuilder();
        ObjectNode extra = Json.unknownKeys(o, DCONF_KEYS);
        readNew(newNode, c, extra);
        readRev(revNode, c, extra);
        readLapse(lapseNode, c, extra);

        c.setCapAnswerTimeToSecs((int) Math.max(0, maxTaken))
                .setDisableAutoplay(!autoplay)
                .setShowTimer(timer != null && timer != 0)
                .setSkipQuestionWhenReplayingAnswer(!replayq)
                .setNewMix((int) Json.optionalStrictInt(o, "newMix", Integer.MIN_VALUE, Integer.MAX_VALUE, 0, where))
                .setNewPerDayMinimum((int) Json.optionalStrictInt(o, "newPerDayMinimum", 0, U32_MAX, 0, where))
                .setInterdayLearningMix((int) Json.optionalStrictInt(
                        o, "interdayLearningMix", Integer.MIN_VALUE, Integer.MAX_VALUE, 0, where))
                .setReviewOrder(
                        (int) Json.optionalStrictInt(o, "reviewOrder", Integer.MIN_VALUE, Integer.MAX_VALUE, 0, where))
                .setNewCardSortOrder(
                        (int) Json.optionalStrictInt(o, "newSortOrder", Integer.MIN_VALUE, Integer.MAX_VALUE, 0, where))
                .setNewCardGatherPriority((int)
                        Json.optionalStrictInt(o, "newGatherPriority", Integer.MIN_VALUE, Integer.MAX_VALUE, 0, where))
                .setBuryInterdayLearning(Json.optionalStrictBool(o, "buryInterdayLearning", false, where))
                .addAllFsrsParams4(Json.optionalF32Array(o, "fsrsWeights", where))
                .addAllFsrsParams5(Json.optionalF32Array(o, "fsrsParams5", where))
                .addAllFsrsParams6(Json.optionalF32Array(o, "fsrsParams6", where))
                .setDesiredRetention(Json.optionalF32(o, "desiredRetention", 0f, where))
                .setIgnoreRevlogsBeforeDate(Json.optionalString(o, "ignoreRevlogsBeforeDate", where))
                .addAllEasyDaysPercentages(Json.optionalF32Array(o, "easyDaysPercentages", where))
                .setStopTimerOnAnswer(Json.optionalStrictBool(o, "stopTimerOnAnswer", false, where))
                .setSecondsToShowQuestion(Json.optionalF32(o, "secondsToShowQuestion", 0f, where))
                .setSecondsToShowAnswer(Json.optionalF32(o, "secondsToShowAnswer", 0f, where))
                .setQuestionAction((int) Json.optionalStrictInt(o, "questionAction", 0, 1, 0, where))
                .setAnswerAction((int) Json.optionalStrictInt(o, "answerAction", 0, 4, 0, where))
                .setWaitForAudio(Json.optionalStrictBool(o, "waitForAudio", true, where))
                .setHistoricalRetention(Json.optionalF32(o, "sm2Retention", 0f, where))
                .setParamSearch(Json.optionalString(o, "weightSearch", where))
                .setOther(ByteString.copyFrom(Json.otherBytes(extra)));
        return new DeckConfigRecord(id, name, mod, usn, c.build().toByteArray());
    }

    /** {@code new}: if it fails to decode, the official defaults (and no extra keys). */
    private static void readNew(JsonNode node, DeckConfigConfig.Builder c, ObjectNode extra) {
        try {
            ObjectNode o = Json.object(node, "new");
            boolean bury = Json.optionalStrictBool(o, "bury", false, "new");
            List<Float> delays = Json.lenientF32Array(Json.required(o, "delays", "new"));
            long initialFactor =
                    Json.strictInt(Json.required(o, "initialFactor", "new"), 0, 0xffff, "new.initialFactor");
            JsonNode intsNode = Json.required(o, "ints", "new");
            long good = 1;
            long easy = 4;
            List<Long> ints = new ArrayList<>();
            if (intsNode.isArray()) {
                for (JsonNode i : intsNode) {
                    Long v = Json.lenientInt(i, 0, 0xffff);
                    if (v == null) {
                        ints = null;
                        break;
                    }
                    ints.add(v);
                }
                if (ints != null && ints.size() >= 2) {
                    good = ints.get(0);
                    easy = ints.get(1);
                }
            }
            Long order = Json.lenientInt(Json.required(o, "order", "new"), 0, 1);
            Long perDay = Json.lenientInt(Json.required(o, "perDay", "new"), 0, U32_MAX);
            c.setBuryNew(bury)
                    .addAllLearnSteps(delays == null ? List.of() : delays)
                    .setInitialEase((float) initialFactor / 1000f)
                    .setGraduatingIntervalGood((int) good)
                    .setGraduatingIntervalEasy((int) easy)
                    .setNewCardInsertOrder(order == null || order == 1 ? 0 : 1)
                    .setNewPerDay(perDay == null ? 0 : perDay.intValue());
            ObjectNode unknown = Json.unknownKeys(o, DCONF_NEW_KEYS);
            if (!unknown.isEmpty()) {
                extra.set("new", unknown);
            }
        } catch (IllegalArgumentException e) {
            c.setBuryNew(false)
                    .addAllLearnSteps(List.of(1.0f, 10.0f))
                    .setInitialEase(2.5f)
                    .setGraduatingIntervalGood(1)
                    .setGraduatingIntervalEasy(4)
                    .setNewCardInsertOrder(0)
                    .setNewPerDay(20);
        }
    }

    private static void readRev(JsonNode node, DeckConfigConfig.Builder c, ObjectNode extra) {
        try {
            ObjectNode o = Json.object(node, "rev");
            boolean bury = Json.optionalStrictBool(o, "bury", false, "rev");
            float ease4 = Json.f32(Json.required(o, "ease4", "rev"), "rev.ease4");
            float ivlFct = Json.f32(Json.required(o, "ivlFct", "rev"), "rev.ivlFct");
            long maxIvl = Json.strictInt(Json.required(o, "maxIvl", "rev"), 0, U32_MAX, "rev.maxIvl");
            Long perDay = Json.lenientInt(Json.required(o, "perDay", "rev"), 0, U32_MAX);
            float hardFactor = Json.optionalF32(o, "hardFactor", 1.2f, "rev");
            c.setBuryReviews(bury)
                    .setEasyMultiplier(ease4)
                    .setIntervalMultiplier(ivlFct)
                    .setMaximumReviewInterval((int) maxIvl)
                    .setReviewsPerDay(perDay == null ? 0 : perDay.intValue())
                    .setHardMultiplier(hardFactor);
            ObjectNode unknown = Json.unknownKeys(o, DCONF_REV_KEYS);
            if (!unknown.isEmpty()) {
                extra.set("rev", unknown);
            }
        } catch (IllegalArgumentException e) {
            c.setBuryReviews(false)
                    .setEasyMultiplier(1.3f)
                    .setIntervalMultiplier(1.0f)
                    .setMaximumReviewInterval(36_500)
                    .setReviewsPerDay(200)
                    .setHardMultiplier(1.2f);
        }
    }

    private static void readLapse(JsonNode node, DeckConfigConfig.Builder c, ObjectNode extra) {
        try {
            ObjectNode o = Json.object(node, "lapse");
            List<Float> delays = Json.lenientF32Array(Json.required(o, "delays", "lapse"));
            Long leechAction = Json.lenientInt(Json.required(o, "leechAction", "lapse"), 0, 1);
            long leechFails = Json.strictInt(Json.required(o, "leechFails", "lapse"), 0, U32_MAX, "lapse.leechFails");
            long minInt = Json.strictInt(Json.required(o, "minInt", "lapse"), 0, U32_MAX, "lapse.minInt");
            float mult = Json.f32(Json.required(o, "mult", "lapse"), "lapse.mult");
            c.addAllRelearnSteps(delays == null ? List.of() : delays)
                    .setLeechAction(leechAction == null ? 1 : leechAction.intValue())
                    .setLeechThreshold((int) leechFails)
                    .setMinimumLapseInterval((int) minInt)
                    .setLapseMultiplier(mult);
            ObjectNode unknown = Json.unknownKeys(o, DCONF_LAPSE_KEYS);
            if (!unknown.isEmpty()) {
                extra.set("lapse", unknown);
            }
        } catch (IllegalArgumentException e) {
            c.addAllRelearnSteps(List.of(10.0f))
                    .setLeechAction(1)
                    .setLeechThreshold(8)
                    .setMinimumLapseInterval(1)
                    .setLapseMultiplier(0.0f);
        }
    }
}
