package org.ankisync.core.storage.schema18;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ankisync.core.storage.UnicaseCollation;

/**
 * The read rules of legacy-json.md section 1.5 (required, optional, lenient,
 * num|str, bool*, strict int), float formatting (section 1.3) and the
 * serde_json-compatible writer used for the {@code other} bytes.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final long U32_MAX = 0xffff_ffffL;

    private Json() {}

    // ------------------------------------------------------------------ reading

    static IllegalArgumentException invalid(String where, String what) {
        return new IllegalArgumentException(where + ": " + what);
    }

    static ObjectNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where, "expected a JSON object, got " + describe(node));
        }
        return (ObjectNode) node;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " "
                + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }

    /** The value of a required key (which may be JSON null). */
    static JsonNode required(JsonNode obj, String key, String where) {
        JsonNode value = obj.get(key);
        if (value == null) {
            throw invalid(where, "missing required key \"" + key + "\"");
        }
        return value;
    }

    /** A present, non-null value, or {@code null} when absent. */
    static JsonNode optional(JsonNode obj, String key) {
        return obj.get(key);
    }

    static String string(JsonNode value, String where) {
        if (value == null || !value.isTextual()) {
            throw invalid(where, "expected a string, got " + describe(value));
        }
        return value.textValue();
    }

    static String optionalString(JsonNode obj, String key, String where) {
        JsonNode v = obj.get(key);
        return v == null ? "" : string(v, where + "." + key);
    }

    static String lenientString(JsonNode value, String dflt) {
        return value != null && value.isTextual() ? value.textValue() : dflt;
    }

    /** An integer in [min, max]: no fraction, no exponent, no string. */
    static long strictInt(JsonNode value, long min, long max, String where) {
        if (value == null || !value.isIntegralNumber()) {
            throw invalid(where, "expected an integer, got " + describe(value));
        }
        BigInteger big = value.bigIntegerValue();
        if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(where, "integer " + big + " out of range " + min + ".." + max);
        }
        return big.longValue();
    }

    static long optionalStrictInt(JsonNode obj, String key, long min, long max, long dflt, String where) {
        JsonNode v = obj.get(key);
        return v == null ? dflt : strictInt(v, min, max, where + "." + key);
    }

    /** Lenient integer: {@code null} unless the value is an integer in [min, max]. */
    static Long lenientInt(JsonNode value, long min, long max) {
        if (value == null || !value.isIntegralNumber()) {
            return null;
        }
        BigInteger big = value.bigIntegerValue();
        if (big.compareTo(BigInteger.valueOf(min)) < 0 || big.compareTo(BigInteger.valueOf(max)) > 0) {
            return null;
        }
        return big.longValue();
    }

    /** num|str: a JSON integer, or a string holding one. */
    static long numOrStr(JsonNode value, long min, long max, String where) {
        if (value != null && value.isTextual()) {
            try {
                long parsed = Long.parseLong(value.textValue());
                if (parsed < min || parsed > max) {
                    throw invalid(where, "number " + parsed + " out of range");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw invalid(where, "expected a number or a numeric string, got " + describe(value));
            }
        }
        return strictInt(value, min, max, where);
    }

    /** bool*: booleans, 1/0, 1.0/0.0, and the strings "true"/"false"/"1"/"0"/"1.0"/"0.0". */
    static boolean boolFromAnything(JsonNode value, String where) {
        if (value != null) {
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            if (value.isNumber()) {
                double d = value.doubleValue();
                if (d == 1.0) {
                    return true;
                }
                if (d == 0.0) {
                    return false;
                }
            }
            if (value.isTextual()) {
                switch (value.textValue().toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "1", "1.0":
                        return true;
                    case "false", "0", "0.0":
                        return false;
                    default:
                        break;
                }
            }
        }
        throw invalid(where, "expected a boolean, got " + describe(value));
    }

    static boolean strictBool(JsonNode value, String where) {
        if (value == null || !value.isBoolean()) {
            throw invalid(where, "expected true or false, got " + describe(value));
        }
        return value.booleanValue();
    }

    static boolean optionalStrictBool(JsonNode obj, String key, boolean dflt, String where) {
        JsonNode v = obj.get(key);
        return v == null ? dflt : strictBool(v, where + "." + key);
    }

    static boolean lenientBool(JsonNode value, boolean dflt) {
        return value != null && value.isBoolean() ? value.booleanValue() : dflt;
    }

    /** An f32 (JSON integers are accepted too). */
    static float f32(JsonNode value, String where) {
        if (value == null || !value.isNumber()) {
            throw invalid(where, "expected a number, got " + describe(value));
        }
        return (float) value.doubleValue();
    }

    static float optionalF32(JsonNode obj, String key, float dflt, String where) {
        JsonNode v = obj.get(key);
        return v == null ? dflt : f32(v, where + "." + key);
    }

    static List<Float> f32Array(JsonNode value, String where) {
        if (value == null || !value.isArray()) {
            throw invalid(where, "expected an array of numbers, got " + describe(value));
        }
        List<Float> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(f32(value.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    /** Lenient f32 array: {@code null} if the value is not an array of numbers. */
    static List<Float> lenientF32Array(JsonNode value) {
        if (value == null || !value.isArray()) {
            return null;
        }
        List<Float> out = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isNumber()) {
                return null;
            }
            out.add((float) element.doubleValue());
        }
        return out;
    }

    static List<Float> optionalF32Array(JsonNode obj, String key, String where) {
        JsonNode v = obj.get(key);
        return v == null ? List.of() : f32Array(v, where + "." + key);
    }

    // ------------------------------------------------------------------ other

    /** The keys of {@code obj} not in {@code known}, in their order, as a new object. */
    static ObjectNode unknownKeys(JsonNode obj, Set<String> known) {
        ObjectNode extra = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!known.contains(e.getKey())) {
                extra.set(e.getKey(), e.getValue());
            }
        }
        return extra;
    }

    /** The {@code other} bytes: empty for no extra keys, else serde_json text. */
    static byte[] otherBytes(ObjectNode extra) {
        if (extra.isEmpty()) {
            return new byte[0];
        }
        return write(extra, false).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code other}; empty or invalid bytes, or a non-object, give an empty object. */
    static ObjectNode parseOther(byte[] other) {
        if (other == null || other.length == 0) {
            return NODES.objectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(other);
            return node != null && node.isObject() ? (ObjectNode) node : NODES.objectNode();
        } catch (IOException e) {
            return NODES.objectNode();
        }
    }

    /** Appends the pairs of {@code extra} whose keys are not reserved. */
    static void appendExtra(ObjectNode target, ObjectNode extra, Set<String> reserved) {
        Iterator<Map.Entry<String, JsonNode>> it = extra.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!reserved.contains(e.getKey())) {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    // ------------------------------------------------------------------ numbers

    /** An f32 as a JSON value: the double nearest its shortest decimal form; NaN/inf → null. */
    static JsonNode f32Node(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return NullNode.getInstance();
        }
        return DoubleNode.valueOf(Double.parseDouble(shortest(v, true).toString()));
    }

    /** The shortest decimal that reads back as the same f32 (or f64). */
    static BigDecimal shortest(double v, boolean asFloat) {
        if (v == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            String text = candidate.toString();
            boolean same = asFloat ? Float.parseFloat(text) == (float) v : Double.parseDouble(text) == v;
            if (same) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact;
    }

    /**
     * Formats a double like serde_json/ryu: shortest round-trip digits, plain
     * notation for 1e-5 &lt;= |v| &lt; 1e16 (always with a fraction), else
     * {@code 1e-7} / {@code 1.5e16}.
     */
    static String formatF64(double v) {
        return format(v, false, 1e-5, 1e16);
    }

    /** Formats an f32 as the official code does (plain for 1e-6 &lt;= |v| &lt; 1e13). */
    static String formatF32(float v) {
        return format(v, true, 1e-6, 1e13);
    }

    private static String format(double v, boolean asFloat, double plainMin, double plainMax) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = shortest(v, asFloat);
        double abs = Math.abs(v);
        if (abs >= plainMin && abs < plainMax) {
            String plain = d.toPlainString();
            return plain.indexOf('.') >= 0 ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder();
        if (d.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        return sb.append('e').append(exponent).toString();
    }

    // ------------------------------------------------------------------ writing

    /**
     * Compact JSON text as serde_json writes it. The keys of the outermost
     * object keep their order unless {@code sortTop}; nested objects are
     * written with sorted keys (serde_json's {@code Value} map is ordered).
     */
    static String write(JsonNode node, boolean sortTop) {
        StringBuilder sb = new StringBuilder();
        write(node, sb, sortTop);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb, boolean sortKeys) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>();
                node.fieldNames().forEachRemaining(keys::add);
                if (sortKeys) {
                    keys.sort(Json::compareUtf8);
                }
                sb.append('{');
                boolean first = true;
                for (String key : keys) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeString(key, sb);
                    sb.append(':');
                    write(node.get(key), sb, true);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(node.get(i), sb, true);
                }
                sb.append(']');
            }
            case STRING -> writeString(node.textValue(), sb);
            case BOOLEAN -> sb.append(node.booleanValue());
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    sb.append(node.bigIntegerValue());
                } else {
                    sb.append(formatF64(node.doubleValue()));
                }
            }
            default -> sb.append("null");
        }
    }

    /** Byte-wise UTF-8 order, which is code point order. */
    static int compareUtf8(String a, String b) {
        return UnicaseCollation.compareCodePoints(a, b);
    }

    static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00")
                                .append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 0xf, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A protobuf blob of a row; a broken one is an {@link IllegalArgumentException} naming {@code what}. */
    static <T> T parseBlob(byte[] blob, com.google.protobuf.Parser<T> parser, String what) {
        try {
            return parser.parseFrom(blob == null ? new byte[0] : blob);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(what + ": invalid protobuf blob: " + e.getMessage(), e);
        }
    }

    /** Two key sets in one. */
    static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Rust's saturating {@code f32 as u32}: truncate, NaN and negatives → 0. */
    static long f32ToUnsigned(float v) {
        if (Float.isNaN(v) || v <= 0) {
            return 0;
        }
        return Math.min((long) v, U32_MAX);
    }
}
