package org.ankisync.core.storage.schema18;

import static org.ankisync.core.storage.schema18.Json.NODES;
import static org.ankisync.core.storage.schema18.Json.U32_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.ankisync.core.storage.schema18.proto.DeckCommon;
import org.ankisync.core.storage.schema18.proto.DeckConfigConfig;
import org.ankisync.core.storage.schema18.proto.DeckFiltered;
import org.ankisync.core.storage.schema18.proto.DeckKindContainer;
import org.ankisync.core.storage.schema18.proto.DeckNormal;
import org.ankisync.core.storage.schema18.proto.FieldConfig;
import org.ankisync.core.storage.schema18.proto.NotetypeConfig;
import org.ankisync.core.storage.schema18.proto.TemplateConfig;

/**
 * Converts schema-18 rows (protobuf blobs) to the legacy schema-11 JSON used by
 * incremental sync, and back, following legacy-json.md: key order, the
 * {@code other} mechanism for unknown keys, null versus absent, the read
 * leniency of each key, and the deck-config range validation.
 *
 * <p>Floats (f32 in the official code) are returned as {@code DoubleNode}s
 * holding the double nearest to the shortest decimal form of the f32, so a
 * standard JSON writer prints {@code 0.9}, not {@code 0.8999999761581421}.
 * {@link #write(JsonNode)} writes JSON text byte-for-byte as serde_json would.
 *
 * <p>Stateless and thread-safe.
 */
public final class LegacyJson {

    // ------------------------------------------------------------ key sets

    private static final Set<String> NOTETYPE_KEYS = Set.of("id", "name", "type", "mod", "usn", "sortf",
            "did", "tmpls", "flds", "css", "latexPre", "latexPost", "latexsvg", "req", "originalStockKind",
            "originalId");
    private static final Set<String> NOTETYPE_RESERVED = NOTETYPE_KEYS;
    private static final Set<String> FIELD_KEYS = Set.of("name", "ord", "sticky", "rtl", "font", "size",
            "description", "plainText", "collapsed", "excludeFromSearch", "id", "tag", "preventDeletion");
    private static final Set<String> TEMPLATE_KEYS = Set.of("name", "ord", "qfmt", "afmt", "bqfmt", "bafmt",
            "did", "bfont", "bsize", "id");

    private static final Set<String> DECK_COMMON_KEYS = Set.of("id", "mod", "name", "usn", "lrnToday",
            "revToday", "newToday", "timeToday", "collapsed", "browserCollapsed", "desc", "md", "dyn", "return");
    private static final Set<String> DECK_NORMAL_KEYS = union(DECK_COMMON_KEYS, Set.of("conf", "extendNew",
            "extendRev", "reviewLimit", "newLimit", "reviewLimitToday", "newLimitToday", "desiredRetention"));
    private static final Set<String> DECK_FILTERED_KEYS = union(DECK_COMMON_KEYS, Set.of("resched", "terms",
            "separate", "delays", "previewDelay", "previewAgainSecs", "previewHardSecs", "previewGoodSecs"));
    private static final Set<String> DECK_RESERVED = Set.of("usn", "revToday", "newLimit", "dyn", "reviewLimit",
            "newToday", "timeToday", "reviewLimitToday", "extendNew", "mod", "newLimitToday", "desc", "name",
            "lrnToday", "conf", "browserCollapsed", "extendRev", "id", "collapsed", "desiredRetention");

    private static final Set<String> DCONF_KEYS = Set.of("id", "mod", "name", "usn", "maxTaken", "autoplay",
            "timer", "replayq", "new", "rev", "lapse", "dyn", "newMix", "newPerDayMinimum",
            "interdayLearningMix", "reviewOrder", "newSortOrder", "newGatherPriority", "buryInterdayLearning",
            "fsrsWeights", "fsrsParams5", "fsrsParams6", "desiredRetention", "ignoreRevlogsBeforeDate",
            "easyDaysPercentages", "stopTimerOnAnswer", "secondsToShowQuestion", "secondsToShowAnswer",
            "questionAction", "answerAction", "waitForAudio", "sm2Retention", "weightSearch");
    private static final Set<String> DCONF_RESERVED = DCONF_KEYS.stream()
            .filter(k -> !k.equals("new") && !k.equals("rev") && !k.equals("lapse"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> DCONF_NEW_KEYS = Set.of("bury", "delays", "initialFactor", "ints", "order",
            "perDay");
    private static final Set<String> DCONF_REV_KEYS = Set.of("bury", "ease4", "ivlFct", "maxIvl", "perDay",
            "hardFactor");
    private static final Set<String> DCONF_LAPSE_KEYS = Set.of("delays", "leechAction", "leechFails", "minInt",
            "mult");

    private static final String[] REQ_KINDS = {"none", "any", "all"};

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    public LegacyJson() {
    }

    /**
     * Writes a JSON value as compact text the way serde_json does: escapes as
     * in legacy-json.md 1.3, floats in shortest form. Object keys keep their
     * order (the objects made here are already in the official order).
     */
    public String write(JsonNode value) {
        StringBuilder sb = new StringBuilder();
        writeOrdered(value, sb);
        return sb.toString();
    }

    private static void writeOrdered(JsonNode node, StringBuilder sb) {
        if (node.isObject()) {
            sb.append('{');
            boolean first = true;
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Json.writeString(e.getKey(), sb);
                sb.append(':');
                writeOrdered(e.getValue(), sb);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeOrdered(node.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(Json.write(node, false));
        }
    }

    // =================================================================== notetypes

    public ObjectNode notetypeToJson(NotetypeRecord nt) {
        NotetypeConfig c = parse(nt.config(), NotetypeConfig.parser(), "notetype " + nt.id());
        ObjectNode o = NODES.objectNode();
        o.put("id", nt.id());
        o.put("name", nt.name());
        o.put("type", c.getKind() == 1 ? 1 : 0);
        o.put("mod", nt.mtimeSecs());
        o.put("usn", nt.usn());
        o.put("sortf", c.getSortFieldIdx() & 0xffff);
        if (c.getTargetDeckIdUnused() == 0) {
            o.putNull("did");
        } else {
            o.put("did", c.getTargetDeckIdUnused());
        }
        ArrayNode tmpls = o.putArray("tmpls");
        nt.templates().stream().sorted(Comparator.comparingInt(TemplateRecord::ord))
                .forEach(t -> tmpls.add(templateToJson(t, nt.id())));
        ArrayNode flds = o.putArray("flds");
        nt.fields().stream().sorted(Comparator.comparingInt(FieldRecord::ord))
                .forEach(f -> flds.add(fieldToJson(f, nt.id())));
        o.put("css", c.getCss());
        o.put("latexPre", c.getLatexPre());
        o.put("latexPost", c.getLatexPost());
        o.put("latexsvg", c.getLatexSvg());
        ArrayNode req = o.putArray("req");
        for (NotetypeConfig.CardRequirement r : c.getReqsList()) {
            ArrayNode entry = req.addArray();
            entry.add(r.getCardOrd() & 0xffff);
            int kind = r.getKind();
            entry.add(kind >= 0 && kind < REQ_KINDS.length ? REQ_KINDS[kind] : "none");
            ArrayNode ords = entry.addArray();
            for (int ord : r.getFieldOrdsList()) {
                ords.add(ord & 0xffff);
            }
        }
        if (c.getOriginalStockKind() != 0) {
            o.put("originalStockKind", c.getOriginalStockKind());
        }
        if (c.hasOriginalId()) {
            o.put("originalId", c.getOriginalId());
        }
        Json.appendExtra(o, Json.parseOther(c.getOther().toByteArray()), NOTETYPE_RESERVED);
        return o;
    }

    private ObjectNode fieldToJson(FieldRecord f, long ntid) {
        FieldConfig c = parse(f.config(), FieldConfig.parser(), "field " + f.ord() + " of notetype " + ntid);
        ObjectNode o = NODES.objectNode();
        o.put("name", f.name());
        o.put("ord", f.ord());
        o.put("sticky", c.getSticky());
        o.put("rtl", c.getRtl());
        o.put("font", c.getFontName());
        o.put("size", c.getFontSize() & 0xffff);
        o.put("description", c.getDescription());
        o.put("plainText", c.getPlainText());
        o.put("collapsed", c.getCollapsed());
        o.put("excludeFromSearch", c.getExcludeFromSearch());
        if (c.hasId()) {
            o.put("id", c.getId());
        } else {
            o.putNull("id");
        }
        if (c.hasTag()) {
            o.put("tag", Integer.toUnsignedLong(c.getTag()));
        } else {
            o.putNull("tag");
        }
        o.put("preventDeletion", c.getPreventDeletion());
        Json.appendExtra(o, Json.parseOther(c.getOther().toByteArray()), FIELD_KEYS);
        return o;
    }

    private ObjectNode templateToJson(TemplateRecord t, long ntid) {
        TemplateConfig c = parse(t.config(), TemplateConfig.parser(), "template " + t.ord() + " of notetype " + ntid);
        ObjectNode o = NODES.objectNode();
        o.put("name", t.name());
        o.put("ord", t.ord());
        o.put("qfmt", c.getQFormat());
        o.put("afmt", c.getAFormat());
        o.put("bqfmt", c.getQFormatBrowser());
        o.put("bafmt", c.getAFormatBrowser());
        if (c.getTargetDeckId() > 0) {
            o.put("did", c.getTargetDeckId());
        } else {
            o.putNull("did");
        }
        o.put("bfont", c.getBrowserFontName());
        o.put("bsize", c.getBrowserFontSize() & 0xff);
        if (c.hasId()) {
            o.put("id", c.getId());
        } else {
            o.putNull("id");
        }
        Json.appendExtra(o, Json.parseOther(c.getOther().toByteArray()), TEMPLATE_KEYS);
        return o;
    }

    public NotetypeRecord notetypeFromJson(JsonNode json) {
        String where = "notetype";
        ObjectNode o = Json.object(json, where);
        long id = Json.numOrStr(Json.required(o, "id", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".id");
        where = "notetype " + id;
        String name = Json.string(Json.required(o, "name", where), where + ".name");
        long type = Json.strictInt(Json.required(o, "type", where), 0, 1, where + ".type");
        long mod = Json.strictInt(Json.required(o, "mod", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".mod");
        int usn = (int) Json.strictInt(Json.required(o, "usn", where), Integer.MIN_VALUE, Integer.MAX_VALUE,
                where + ".usn");
        long sortf = Json.strictInt(Json.required(o, "sortf", where), 0, 0xffff, where + ".sortf");
        Long did = Json.lenientInt(Json.required(o, "did", where), Long.MIN_VALUE, Long.MAX_VALUE);
        JsonNode tmpls = Json.required(o, "tmpls", where);
        JsonNode flds = Json.required(o, "flds", where);
        if (!tmpls.isArray()) {
            throw Json.invalid(where + ".tmpls", "expected an array, got " + Json.describe(tmpls));
        }
        if (!flds.isArray()) {
            throw Json.invalid(where + ".flds", "expected an array, got " + Json.describe(flds));
        }
        String css = Json.lenientString(Json.required(o, "css", where), "");

        NotetypeConfig.Builder c = NotetypeConfig.newBuilder()
                .setKind((int) type)
                .setSortFieldIdx((int) sortf)
                .setCss(css)
                .setTargetDeckIdUnused(did == null ? 0 : did)
                .setLatexPre(Json.optionalString(o, "latexPre", where))
                .setLatexPost(Json.optionalString(o, "latexPost", where))
                .setLatexSvg(Json.lenientBool(o.get("latexsvg"), false));
        JsonNode req = o.get("req");
        if (req != null) {
            List<NotetypeConfig.CardRequirement> reqs = readReqs(req);
            if (reqs != null) {
                c.addAllReqs(reqs);
            }
        }
        c.setOriginalStockKind((int) Json.optionalStrictInt(o, "originalStockKind", Integer.MIN_VALUE,
                Integer.MAX_VALUE, 0, where));
        JsonNode originalId = o.get("originalId");
        if (originalId != null && !originalId.isNull()) {
            c.setOriginalId(Json.strictInt(originalId, Long.MIN_VALUE, Long.MAX_VALUE, where + ".originalId"));
        }
        c.setOther(ByteString.copyFrom(Json.otherBytes(Json.unknownKeys(o, NOTETYPE_KEYS))));

        List<FieldRecord> fields = new ArrayList<>();
        for (int i = 0; i < flds.size(); i++) {
            fields.add(fieldFromJson(flds.get(i), i, where + ".flds[" + i + "]"));
        }
        List<TemplateRecord> templates = new ArrayList<>();
        for (int i = 0; i < tmpls.size(); i++) {
            templates.add(templateFromJson(tmpls.get(i), i, where + ".tmpls[" + i + "]"));
        }
        return new NotetypeRecord(id, name, mod, usn, c.build().toByteArray(), fields, templates);
    }

    /** The whole {@code req} value is lenient: any malformed entry gives {@code null} (treated as []). */
    private static List<NotetypeConfig.CardRequirement> readReqs(JsonNode req) {
        if (!req.isArray()) {
            return null;
        }
        List<NotetypeConfig.CardRequirement> out = new ArrayList<>();
        for (JsonNode entry : req) {
            if (!entry.isArray() || entry.size() != 3) {
                return null;
            }
            Long cardOrd = Json.lenientInt(entry.get(0), 0, 0xffff);
            JsonNode kindNode = entry.get(1);
            JsonNode ords = entry.get(2);
            if (cardOrd == null || !kindNode.isTextual() || !ords.isArray()) {
                return null;
            }
            int kind = List.of(REQ_KINDS).indexOf(kindNode.textValue());
            if (kind < 0) {
                return null;
            }
            NotetypeConfig.CardRequirement.Builder r = NotetypeConfig.CardRequirement.newBuilder()
                    .setCardOrd(cardOrd.intValue()).setKind(kind);
            for (JsonNode ord : ords) {
                Long value = Json.lenientInt(ord, 0, 0xffff);
                if (value == null) {
                    return null;
                }
                r.addFieldOrds(value.intValue());
            }
            out.add(r.build());
        }
        return out;
    }

    private FieldRecord fieldFromJson(JsonNode json, int ord, String where) {
        ObjectNode o = Json.object(json, where);
        String name = Json.string(Json.required(o, "name", where), where + ".name");
        JsonNode jsonOrd = o.get("ord");
        if (jsonOrd != null && !jsonOrd.isNull()) {
            Json.strictInt(jsonOrd, 0, 0xffff, where + ".ord");
        }
        FieldConfig.Builder c = FieldConfig.newBuilder()
                .setSticky(Json.boolFromAnything(Json.required(o, "sticky", where), where + ".sticky"))
                .setRtl(Json.boolFromAnything(Json.required(o, "rtl", where), where + ".rtl"))
                .setFontName(Json.string(Json.required(o, "font", where), where + ".font"))
                .setFontSize((int) Json.strictInt(Json.required(o, "size", where), 0, 0xffff, where + ".size"))
                .setDescription(Json.lenientString(o.get("description"), ""))
                .setPlainText(Json.lenientBool(o.get("plainText"), false))
                .setCollapsed(Json.lenientBool(o.get("collapsed"), false))
                .setExcludeFromSearch(Json.lenientBool(o.get("excludeFromSearch"), false))
                .setPreventDeletion(Json.lenientBool(o.get("preventDeletion"), false));
        Long id = Json.lenientInt(o.get("id"), Long.MIN_VALUE, Long.MAX_VALUE);
        if (id != null) {
            c.setId(id);
        }
        Long tag = Json.lenientInt(o.get("tag"), 0, U32_MAX);
        if (tag != null) {
            c.setTag(tag.intValue());
        }
        c.setOther(ByteString.copyFrom(Json.otherBytes(Json.unknownKeys(o, FIELD_KEYS))));
        return new FieldRecord(ord, name, c.build().toByteArray());
    }

    private TemplateRecord templateFromJson(JsonNode json, int ord, String where) {
        ObjectNode o = Json.object(json, where);
        String name = Json.string(Json.required(o, "name", where), where + ".name");
        JsonNode jsonOrd = o.get("ord");
        if (jsonOrd != null && !jsonOrd.isNull()) {
            Json.strictInt(jsonOrd, 0, 0xffff, where + ".ord");
        }
        TemplateConfig.Builder c = TemplateConfig.newBuilder()
                .setQFormat(Json.string(Json.required(o, "qfmt", where), where + ".qfmt"))
                .setAFormat(Json.optionalString(o, "afmt", where))
                .setQFormatBrowser(Json.optionalString(o, "bqfmt", where))
                .setAFormatBrowser(Json.optionalString(o, "bafmt", where));
        Long did = Json.lenientInt(o.get("did"), Long.MIN_VALUE, Long.MAX_VALUE);
        c.setTargetDeckId(did == null ? 0 : did);
        c.setBrowserFontName(Json.lenientString(o.get("bfont"), ""));
        Long bsize = Json.lenientInt(o.get("bsize"), 0, 0xff);
        c.setBrowserFontSize(bsize == null ? 0 : bsize.intValue());
        Long id = Json.lenientInt(o.get("id"), Long.MIN_VALUE, Long.MAX_VALUE);
        if (id != null) {
            c.setId(id);
        }
        c.setOther(ByteString.copyFrom(Json.otherBytes(Json.unknownKeys(o, TEMPLATE_KEYS))));
        return new TemplateRecord(ord, name, 0, 0, c.build().toByteArray());
    }

    // =================================================================== decks

    public ObjectNode deckToJson(DeckRecord deck) {
        String what = "deck " + deck.id();
        DeckCommon common = parse(deck.common(), DeckCommon.parser(), what);
        DeckKindContainer kind = parse(deck.kind(), DeckKindContainer.parser(), what);
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
                o.put("desiredRetention", f32ToUnsigned(n.getDesiredRetention() * 100f));
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

    /** Rust's saturating {@code f32 as u32}: truncate, NaN and negatives → 0. */
    private static long f32ToUnsigned(float v) {
        if (Float.isNaN(v) || v <= 0) {
            return 0;
        }
        return Math.min((long) v, U32_MAX);
    }

    public DeckRecord deckFromJson(JsonNode json) {
        String where = "deck";
        ObjectNode o = Json.object(json, where);
        long id = Json.numOrStr(Json.required(o, "id", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".id");
        where = "deck " + id;
        JsonNode modNode = o.get("mod");
        long mod = modNode == null ? 0 : Json.numOrStr(modNode, Long.MIN_VALUE, Long.MAX_VALUE, where + ".mod");
        String humanName = Json.string(Json.required(o, "name", where), where + ".name");
        int usn = (int) Json.strictInt(Json.required(o, "usn", where), Integer.MIN_VALUE, Integer.MAX_VALUE,
                where + ".usn");
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
        return new DeckRecord(id, DeckNames.fromHuman(humanName), mod, usn, common.build().toByteArray(),
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
                .setConfigId(Json.numOrStr(Json.required(o, "conf", where), Long.MIN_VALUE, Long.MAX_VALUE,
                        where + ".conf"))
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
        return DeckNormal.DayLimit.newBuilder().setLimit(limit.intValue()).setToday(today.intValue()).build();
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

    // =================================================================== deck configs

    public ObjectNode deckConfigToJson(DeckConfigRecord conf) {
        DeckConfigConfig c = validated(parse(conf.config(), DeckConfigConfig.parser(), "deck config " + conf.id()));
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
        nw.put("initialFactor", Math.min(f32ToUnsigned(c.getInitialEase() * 1000f), 0xffff));
        nw.putArray("ints").add(c.getGraduatingIntervalGood() & 0xffff).add(c.getGraduatingIntervalEasy() & 0xffff)
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

    public DeckConfigRecord deckConfigFromJson(JsonNode json) {
        String where = "deck config";
        ObjectNode o = Json.object(json, where);
        long id = Json.numOrStr(Json.required(o, "id", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".id");
        where = "deck config " + id;
        long mod = Json.numOrStr(Json.required(o, "mod", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".mod");
        String name = Json.string(Json.required(o, "name", where), where + ".name");
        int usn = (int) Json.strictInt(Json.required(o, "usn", where), Integer.MIN_VALUE, Integer.MAX_VALUE,
                where + ".usn");
        long maxTaken = Json.strictInt(Json.required(o, "maxTaken", where), Integer.MIN_VALUE, Integer.MAX_VALUE,
                where + ".maxTaken");
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
                .setInterdayLearningMix((int) Json.optionalStrictInt(o, "interdayLearningMix", Integer.MIN_VALUE,
                        Integer.MAX_VALUE, 0, where))
                .setReviewOrder((int) Json.optionalStrictInt(o, "reviewOrder", Integer.MIN_VALUE,
                        Integer.MAX_VALUE, 0, where))
                .setNewCardSortOrder((int) Json.optionalStrictInt(o, "newSortOrder", Integer.MIN_VALUE,
                        Integer.MAX_VALUE, 0, where))
                .setNewCardGatherPriority((int) Json.optionalStrictInt(o, "newGatherPriority", Integer.MIN_VALUE,
                        Integer.MAX_VALUE, 0, where))
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
            long initialFactor = Json.strictInt(Json.required(o, "initialFactor", "new"), 0, 0xffff,
                    "new.initialFactor");
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
            c.setBuryNew(false).addAllLearnSteps(List.of(1.0f, 10.0f)).setInitialEase(2.5f)
                    .setGraduatingIntervalGood(1).setGraduatingIntervalEasy(4).setNewCardInsertOrder(0)
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
            c.setBuryReviews(bury).setEasyMultiplier(ease4).setIntervalMultiplier(ivlFct)
                    .setMaximumReviewInterval((int) maxIvl).setReviewsPerDay(perDay == null ? 0 : perDay.intValue())
                    .setHardMultiplier(hardFactor);
            ObjectNode unknown = Json.unknownKeys(o, DCONF_REV_KEYS);
            if (!unknown.isEmpty()) {
                extra.set("rev", unknown);
            }
        } catch (IllegalArgumentException e) {
            c.setBuryReviews(false).setEasyMultiplier(1.3f).setIntervalMultiplier(1.0f)
                    .setMaximumReviewInterval(36_500).setReviewsPerDay(200).setHardMultiplier(1.2f);
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
                    .setLeechThreshold((int) leechFails).setMinimumLapseInterval((int) minInt)
                    .setLapseMultiplier(mult);
            ObjectNode unknown = Json.unknownKeys(o, DCONF_LAPSE_KEYS);
            if (!unknown.isEmpty()) {
                extra.set("lapse", unknown);
            }
        } catch (IllegalArgumentException e) {
            c.addAllRelearnSteps(List.of(10.0f)).setLeechAction(1).setLeechThreshold(8)
                    .setMinimumLapseInterval(1).setLapseMultiplier(0.0f);
        }
    }

    // =================================================================== helpers

    private static <T> T parse(byte[] blob, com.google.protobuf.Parser<T> parser, String what) {
        try {
            return parser.parseFrom(blob == null ? new byte[0] : blob);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(what + ": invalid protobuf blob: " + e.getMessage(), e);
        }
    }
}
