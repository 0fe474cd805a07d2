package org.ankisync.core.storage.schema18;

import static org.ankisync.core.storage.schema18.Json.NODES;
import static org.ankisync.core.storage.schema18.Json.U32_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Set;
import org.ankisync.core.storage.schema18.proto.DeckCommon;
import org.ankisync.core.storage.schema18.proto.DeckFiltered;
import org.ankisync.core.storage.schema18.proto.DeckKindContainer;
import org.ankisync.core.storage.schema18.proto.DeckNormal;

/**
 * Converts deck rows (protobuf blobs) to the legacy schema-11 JSON used by
 * incremental sync, and back, following legacy-json.md: key order, the
 * {@code other} mechanism for unknown keys, null versus absent, the read
 * leniency of each key.
 *
 * <p>Floats (f32 in the official code) are returned as {@code DoubleNode}s
 * holding the double nearest to the shortest decimal form of the f32, so a
 * standard JSON writer prints {@code 0.9}, not {@code 0.8999999761581421};
 * {@link LegacyJsonWriter} writes the text byte-for-byte as serde_json would.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeckJson {

    private static final Set<String> DECK_COMMON_KEYS = Set.of(
            "id",
            "mod",
            "name",
            "usn",
            "lrnToday",
            "revToday",
            "newToday",
            "timeToday",
            "collapsed",
            "browserCollapsed",
            "desc",
            "md",
            "dyn",
            "return");
    private static final Set<String> DECK_NORMAL_KEYS = Json.union(
            DECK_COMMON_KEYS,
            Set.of(
                    "conf",
                    "extendNew",
                    "extendRev",
                    "reviewLimit",
                    "newLimit",
                    "reviewLimitToday",
                    "newLimitToday",
                    "desiredRetention"));
    private static final Set<String> DECK_FILTERED_KEYS = Json.union(
            DECK_COMMON_KEYS,
            Set.of(
                    "resched",
                    "terms",
                    "separate",
                    "delays",
                    "previewDelay",
                    "previewAgainSecs",
                    "previewHardSecs",
                    "previewGoodSecs"));
    private static final Set<String> DECK_RESERVED = Set.of(
            "usn",
            "revToday",
            "newLimit",
            "dyn",
            "reviewLimit",
            "newToday",
            "timeToday",
            "reviewLimitToday",
            "extendNew",
            "mod",
            "newLimitToday",
            "desc",
            "name",
            "lrnToday",
            "conf",
            "browserCollapsed",
            "extendRev",
            "id",
            "collapsed",
            "desiredRetention");

    public DeckJson() {}

    public ObjectNode toJson(DeckRecord deck) {
        String what = "deck " + deck.id();
        DeckCommon common = Json.parseBlob(deck.common(), DeckCommon.parser(), what);
        DeckKindContainer kind = Json.parseBlob(deck.kind(), DeckKindContainer.parser(), what);
        boolean filtered;
        switch (kind.getKindCase()) {
            case NORMAL -> filtered = false;
            case FILTERED -> filtered = true;
            default -> throw new IllegalArgumentException(what + ": invalid deck kind");
        }
        ObjectNode o = NODES.objectNode();
        o.put("id", deck.id());
        o.put("mod", deck.mtimeSecs());
        o.put("name", DeckNames.toHuman(deck.name()));
        o.put("usn", deck.usn());
        int day = common.getLastDayStudied();
        today(o, "lrnToday", day, common.getLearningStudied());
        today(o, "revToday", day, common.getReviewStudied());
        today(o, "newToday", day, common.getNewStudied());
        today(o, "timeToday", day, common.getMillisecondsStudied());
        o.put("collapsed", common.getStudyCollapsed());
        o.put("browserCollapsed", common.getBrowserCollapsed());
        if (filtered) {
            o.put("desc", "");
        } else {
            o.put("desc", kind.getNormal().getDescription());
            if (kind.getNormal().getMarkdownDescription()) {
                o.put("md", true);
            }
        }
        o.put("dyn", filtered ? 1 : 0);
        Json.appendExtra(o, Json.parseOther(common.getOther().toByteArray()), DECK_RESERVED);
        if (filtered) {
            DeckFiltered f = kind.getFiltered();
            o.put("resched", f.getReschedule());
            ArrayNode terms = o.putArray("terms");
            for (DeckFiltered.SearchTerm t : f.getSearchTermsList()) {
                terms.addArray().add(t.getSearch()).add(t.getLimit()).add(t.getOrder());
            }
            o.put("separate", true);
            if (f.getDelaysCount() == 0) {
                o.putNull("delays");
            } else {
                ArrayNode delays = o.putArray("delays");
                f.getDelaysList().forEach(d -> delays.add(Json.f32Node(d)));
            }
            o.put("previewDelay", Integer.toUnsignedLong(f.getPreviewDelay()));
            o.put("previewAgainSecs", Integer.toUnsignedLong(f.getPreviewAgainSecs()));
            o.put("previewHardSecs", Integer.toUnsignedLong(f.getPreviewHardSecs()));
            o.put("previewGoodSecs", Integer.toUnsignedLong(f.getPreviewGoodSecs()));
        } else {
            DeckNormal n = kind.getNormal();
            o.put("conf", n.getConfigId());
            o.put("extendNew", n.getExtendNew());
            o.put("extendRev", n.getExtendReview());
            putOptionalU32(o, "reviewLimit", n.hasReviewLimit(), n.getReviewLimit());
            putOptionalU32(o, "newLimit", n.hasNewLimit(), n.getNewLimit());
            putDayLimit(o, "reviewLimitToday", n.hasReviewLimitToday(), n.getReviewLimitToday());
            putDayLimit(o, "newLimitToday", n.hasNewLimitToday(), n.getNewLimitToday());
            if (n.hasDesiredRetention()) {
                o.put("desiredRetention", Json.f32ToUnsigned(n.getDesiredRetention() * 100f));
            } else {
                o.putNull("desiredRetention");
            }
        }
        return o;
    }

    private static void today(ObjectNode o, String key, int day, int amount) {
        o.putArray(key).add(day).add(amount);
    }

    private static void putOptionalU32(ObjectNode o, String key, boolean has, int value) {
        if (has) {
            o.put(key, Integer.toUnsignedLong(value));
        } else {
            o.putNull(key);
        }
    }

    private static void putDayLimit(ObjectNode o, String key, boolean has, DeckNormal.DayLimit limit) {
        if (has) {
            ObjectNode l = o.putObject(key);
            l.put("limit", Integer.toUnsignedLong(limit.getLimit()));
            l.put("today", Integer.toUnsignedLong(limit.getToday()));
        } else {
            o.putNull(key);
        }
    }

    public DeckRecord fromJson(JsonNode json) {
        String where = "deck";
        ObjectNode o = Json.object(json, where);
        long id = Json.numOrStr(Json.required(o, "id", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".id");
        where = "deck " + id;
        JsonNode modNode = o.get("mod");
        long mod = modNode == null ? 0 : Json.numOrStr(modNode, Long.MIN_VALUE, Long.MAX_VALUE, where + ".mod");
        String humanName = Json.string(Json.required(o, "name", where), where + ".name");
        int usn = (int)
                Json.strictInt(Json.required(o, "usn", where), Integer.MIN_VALUE, Integer.MAX_VALUE, where + ".usn");
        long[] lrn = todayPair(Json.required(o, "lrnToday", where), where + ".lrnToday");
        long[] rev = todayPair(Json.required(o, "revToday", where), where + ".revToday");
        long[] nw = todayPair(Json.required(o, "newToday", where), where + ".newToday");
        long[] time = todayPair(Json.required(o, "timeToday", where), where + ".timeToday");
        boolean collapsed = Json.strictBool(Json.required(o, "collapsed", where), where + ".collapsed");
        boolean browserCollapsed = Json.optionalStrictBool(o, "browserCollapsed", false, where);
        String desc = Json.optionalString(o, "desc", where);
        boolean md = Json.optionalStrictBool(o, "md", false, where);
        JsonNode dynNode = Json.required(o, "dyn", where);
        boolean filtered;
        if (dynNode.isBoolean()) {
            filtered = dynNode.booleanValue();
        } else if (dynNode.isNumber()) {
            filtered = dynNode.isIntegralNumber() && dynNode.bigIntegerValue().equals(java.math.BigInteger.ONE);
        } else {
            throw Json.invalid(where + ".dyn", "expected 0, 1 or a boolean, got " + Json.describe(dynNode));
        }

        long maxDay = Math.max(time[0], Math.max(nw[0], rev[0]));
        DeckCommon.Builder common = DeckCommon.newBuilder()
                .setStudyCollapsed(collapsed)
                .setBrowserCollapsed(browserCollapsed)
                .setLastDayStudied((int) maxDay)
                .setLearningStudied(lrn[0] == maxDay ? (int) lrn[1] : 0)
                .setReviewStudied(rev[0] == maxDay ? (int) rev[1] : 0)
                .setNewStudied(nw[0] == maxDay ? (int) nw[1] : 0)
                .setMillisecondsStudied((int) time[1]);

        DeckKindContainer.Builder kind = DeckKindContainer.newBuilder();
        if (filtered) {
            kind.setFiltered(filteredFromJson(o, where));
            common.setOther(ByteString.copyFrom(Json.otherBytes(Json.unknownKeys(o, DECK_FILTERED_KEYS))));
        } else {
            kind.setNormal(normalFromJson(o, desc, md, where));
            common.setOther(ByteString.copyFrom(Json.otherBytes(Json.unknownKeys(o, DECK_NORMAL_KEYS))));
        }
        return new DeckRecord(
                id,
                DeckNames.fromHuman(humanName),
                mod,
                usn,
                common.build().toByteArray(),
                kind.build().toByteArray());
    }

    /** [day, amount]: the last element is the amount, the one before it the day; non-integers count as 0. */
    private static long[] todayPair(JsonNode value, String where) {
        if (!value.isArray()) {
            throw Json.invalid(where, "expected an array [day, amount], got " + Json.describe(value));
        }
        int n = value.size();
        long amount = n >= 1 ? asI32OrZero(value.get(n - 1)) : 0;
        long day = n >= 2 ? asI32OrZero(value.get(n - 2)) : 0;
        return new long[] {day, amount};
    }

    private static long asI32OrZero(JsonNode node) {
        Long v = Json.lenientInt(node, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return v == null ? 0 : v;
    }

    private static DeckNormal normalFromJson(ObjectNode o, String desc, boolean md, String where) {
        DeckNormal.Builder n = DeckNormal.newBuilder()
                .setConfigId(
                        Json.numOrStr(Json.required(o, "conf", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".conf"))
                .setExtendNew(lenientNonNegativeI32(o.get("extendNew")))
                .setExtendReview(lenientNonNegativeI32(o.get("extendRev")))
                .setDescription(desc)
                .setMarkdownDescription(md);
        Long reviewLimit = Json.lenientInt(o.get("reviewLimit"), 0, U32_MAX);
        if (reviewLimit != null) {
            n.setReviewLimit(reviewLimit.intValue());
        }
        Long newLimit = Json.lenientInt(o.get("newLimit"), 0, U32_MAX);
        if (newLimit != null) {
            n.setNewLimit(newLimit.intValue());
        }
        DeckNormal.DayLimit reviewToday = dayLimit(o.get("reviewLimitToday"));
        if (reviewToday != null) {
            n.setReviewLimitToday(reviewToday);
        }
        DeckNormal.DayLimit newToday = dayLimit(o.get("newLimitToday"));
        if (newToday != null) {
            n.setNewLimitToday(newToday);
        }
        Long retention = Json.lenientInt(o.get("desiredRetention"), 0, U32_MAX);
        if (retention != null) {
            n.setDesiredRetention((float) retention.longValue() / 100f);
        }
        return n.build();
    }

    private static int lenientNonNegativeI32(JsonNode node) {
        Long v = Json.lenientInt(node, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return v == null ? 0 : (int) Math.max(0, v);
    }

    private static DeckNormal.DayLimit dayLimit(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Long limit = Json.lenientInt(node.get("limit"), 0, U32_MAX);
        Long today = Json.lenientInt(node.get("today"), 0, U32_MAX);
        if (limit == null || today == null) {
            return null;
        }
        return DeckNormal.DayLimit.newBuilder()
                .setLimit(limit.intValue())
                .setToday(today.intValue())
                .build();
    }

    private static DeckFiltered filteredFromJson(ObjectNode o, String where) {
        DeckFiltered.Builder f = DeckFiltered.newBuilder()
                .setReschedule(Json.boolFromAnything(Json.required(o, "resched", where), where + ".resched"));
        JsonNode terms = Json.required(o, "terms", where);
        if (!terms.isArray()) {
            throw Json.invalid(where + ".terms", "expected an array, got " + Json.describe(terms));
        }
        for (int i = 0; i < terms.size(); i++) {
            String at = where + ".terms[" + i + "]";
            JsonNode t = terms.get(i);
            JsonNode search;
            JsonNode limit;
            JsonNode order;
            if (t.isArray()) {
                if (t.size() != 3) {
                    throw Json.invalid(at, "expected [search, limit, order], got " + Json.describe(t));
                }
                search = t.get(0);
                limit = t.get(1);
                order = t.get(2);
            } else if (t.isObject()) {
                search = Json.required(t, "search", at);
                limit = Json.required(t, "limit", at);
                order = Json.required(t, "order", at);
            } else {
                throw Json.invalid(at, "expected [search, limit, order], got " + Json.describe(t));
            }
            long lim = Json.numOrStr(limit, Integer.MIN_VALUE, Integer.MAX_VALUE, at + ".limit");
            f.addSearchTerms(DeckFiltered.SearchTerm.newBuilder()
                    .setSearch(Json.string(search, at + ".search"))
                    .setLimit((int) Math.max(0, lim))
                    .setOrder((int) Json.strictInt(order, Integer.MIN_VALUE, Integer.MAX_VALUE, at + ".order")));
        }
        List<Float> delays = Json.lenientF32Array(o.get("delays"));
        if (delays != null) {
            f.addAllDelays(delays);
        }
        f.setPreviewDelay((int) Json.optionalStrictInt(o, "previewDelay", 0, U32_MAX, 0, where));
        f.setPreviewAgainSecs((int) Json.optionalStrictInt(o, "previewAgainSecs", 0, U32_MAX, 0, where));
        f.setPreviewHardSecs((int) Json.optionalStrictInt(o, "previewHardSecs", 0, U32_MAX, 0, where));
        f.setPreviewGoodSecs((int) Json.optionalStrictInt(o, "previewGoodSecs", 0, U32_MAX, 0, where));
        return f.build();
    }
}
