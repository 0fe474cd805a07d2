package org.ankisync.core.storage.schema18;

import static org.ankisync.core.storage.schema18.Json.NODES;
import static org.ankisync.core.storage.schema18.Json.U32_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.ankisync.core.storage.schema18.proto.FieldConfig;
import org.ankisync.core.storage.schema18.proto.NotetypeConfig;
import org.ankisync.core.storage.schema18.proto.TemplateConfig;

/**
 * Converts notetype rows (protobuf blobs) to the legacy schema-11 JSON used by
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
public final class NotetypeJson {

    private static final Set<String> NOTETYPE_KEYS = Set.of(
            "id",
            "name",
            "type",
            "mod",
            "usn",
            "sortf",
            "did",
            "tmpls",
            "flds",
            "css",
            "latexPre",
            "latexPost",
            "latexsvg",
            "req",
            "originalStockKind",
            "originalId");
    private static final Set<String> NOTETYPE_RESERVED = NOTETYPE_KEYS;
    private static final Set<String> FIELD_KEYS = Set.of(
            "name",
            "ord",
            "sticky",
            "rtl",
            "font",
            "size",
            "description",
            "plainText",
            "collapsed",
            "excludeFromSearch",
            "id",
            "tag",
            "preventDeletion");
    private static final Set<String> TEMPLATE_KEYS =
            Set.of("name", "ord", "qfmt", "afmt", "bqfmt", "bafmt", "did", "bfont", "bsize", "id");
    private static final String[] REQ_KINDS = {"none", "any", "all"};

    public NotetypeJson() {}

    public ObjectNode toJson(NotetypeRecord nt) {
        NotetypeConfig c = Json.parseBlob(nt.config(), NotetypeConfig.parser(), "notetype " + nt.id());
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
        nt.templates().stream()
                .sorted(Comparator.comparingInt(TemplateRecord::ord))
                .forEach(t -> tmpls.add(templateToJson(t, nt.id())));
        ArrayNode flds = o.putArray("flds");
        nt.fields().stream()
                .sorted(Comparator.comparingInt(FieldRecord::ord))
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
        FieldConfig c = Json.parseBlob(f.config(), FieldConfig.parser(), "field " + f.ord() + " of notetype " + ntid);
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
        TemplateConfig c =
                Json.parseBlob(t.config(), TemplateConfig.parser(), "template " + t.ord() + " of notetype " + ntid);
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

    public NotetypeRecord fromJson(JsonNode json) {
        String where = "notetype";
        ObjectNode o = Json.object(json, where);
        long id = Json.numOrStr(Json.required(o, "id", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".id");
        where = "notetype " + id;
        String name = Json.string(Json.required(o, "name", where), where + ".name");
        long type = Json.strictInt(Json.required(o, "type", where), 0, 1, where + ".type");
        long mod = Json.strictInt(Json.required(o, "mod", where), Long.MIN_VALUE, Long.MAX_VALUE, where + ".mod");
        int usn = (int)
                Json.strictInt(Json.required(o, "usn", where), Integer.MIN_VALUE, Integer.MAX_VALUE, where + ".usn");
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
        c.setOriginalStockKind(
                (int) Json.optionalStrictInt(o, "originalStockKind", Integer.MIN_VALUE, Integer.MAX_VALUE, 0, where));
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
                    .setCardOrd(cardOrd.intValue())
                    .setKind(kind);
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
}
