package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import org.ankisync.core.http.SyncException;

/** Typed access to request JSON; anything of the wrong shape is a 400 {@code invalid json}. */
final class JsonArgs {
    private JsonArgs() {
    }

    static JsonNode required(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw invalid("missing " + key);
        }
        return node;
    }

    static JsonNode array(JsonNode parent, String key) {
        JsonNode node = required(parent, key);
        if (!node.isArray()) {
            throw invalid(key + " must be an array");
        }
        return node;
    }

    /** An integer; floats are truncated as the official parser does for most columns. */
    static long integer(JsonNode node, String what) {
        if (node == null || !node.isNumber()) {
            throw invalid(what + " must be a number");
        }
        if (node.isIntegralNumber() && !node.canConvertToLong()) {
            throw invalid(what + " is out of range");
        }
        double asDouble = node.asDouble();
        if (!node.isIntegralNumber() && (Double.isNaN(asDouble) || Math.abs(asDouble) > 9.0e18)) {
            throw invalid(what + " is out of range");
        }
        return node.isIntegralNumber() ? node.longValue() : (long) asDouble;
    }

    static int int32(JsonNode node, String what) {
        long value = integer(node, what);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw invalid(what + " is out of range");
        }
        return (int) value;
    }

    /** An integer that old AnkiMobile versions send as a string. */
    static long integerOrString(JsonNode node, String what) {
        if (node != null && node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw invalid(what + " is not a number");
            }
        }
        return integer(node, what);
    }

    static String text(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw invalid(what + " must be a string");
        }
        return node.textValue();
    }

    static boolean bool(JsonNode node, String what) {
        if (node == null || !node.isBoolean()) {
            throw invalid(what + " must be true or false");
        }
        return node.booleanValue();
    }

    static SyncException invalid(String detail) {
        return SyncException.badRequest("invalid json: " + detail);
    }
}
