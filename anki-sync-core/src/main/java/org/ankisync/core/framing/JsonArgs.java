package org.ankisync.core.framing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;

/**
 * The JSON arguments of a request, for the collection sync, the login and
 * media sync alike: the payload read as one JSON object, and typed access to
 * its values. Anything of the wrong shape is a 400 {@code invalid json}; a
 * payload past the size limit is a 413. A body that cannot be read at all
 * fails with the stream's exception (see {@link ClientBody}).
 */
public final class JsonArgs {
    private JsonArgs() {}

    /**
     * Reads a whole payload that must be one JSON object; an empty payload counts
     * as an empty object (methods without arguments).
     *
     * @param maxBytes the largest payload read; longer ones get 413 without
     *                 reading further than one byte past the limit
     */
    public static JsonNode readObject(SyncRequest request, ObjectMapper json, long maxBytes) throws IOException {
        byte[] bytes = request.payload().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new SyncException(HttpStatus.PAYLOAD_TOO_LARGE, "request JSON longer than " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw SyncException.badRequest("invalid json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw SyncException.badRequest("invalid json: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw SyncException.badRequest("invalid json: expected an object");
        }
        return node;
    }

    public static JsonNode required(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            throw invalid("missing " + key);
        }
        return node;
    }

    public static JsonNode array(JsonNode parent, String key) {
        JsonNode node = required(parent, key);
        if (!node.isArray()) {
            throw invalid(key + " must be an array");
        }
        return node;
    }

    /** An integer; floats are truncated as the official parser does for most columns. */
    public static long integer(JsonNode node, String what) {
        if (node == null || !node.isNumber()) {
            throw invalid(what + " must be a number");
        }
        if (node.isIntegralNumber()) {
            // Nearly every value of a chunk: answered without the double the floats need.
            if (!node.canConvertToLong()) {
                throw invalid(what + " is out of range");
            }
            return node.longValue();
        }
        double asDouble = node.asDouble();
        if (Double.isNaN(asDouble) || Math.abs(asDouble) > 9.0e18) {
            throw invalid(what + " is out of range");
        }
        return (long) asDouble;
    }

    public static int int32(JsonNode node, String what) {
        long value = integer(node, what);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw invalid(what + " is out of range");
        }
        return (int) value;
    }

    /** An integer that old AnkiMobile versions send as a string. */
    public static long integerOrString(JsonNode node, String what) {
        if (node != null && node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw invalid(what + " is not a number");
            }
        }
        return integer(node, what);
    }

    /** {@code parent[key]} as a JSON integer that fits an int (no floats, no strings: media sync). */
    public static int integralInt(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw invalid(key + " must be an integer");
        }
        return node.intValue();
    }

    /** {@code parent[key]} as a JSON integer that fits a long (no floats, no strings: media sync). */
    public static long integralLong(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(key + " must be an integer");
        }
        return node.longValue();
    }

    public static String text(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw invalid(what + " must be a string");
        }
        return node.textValue();
    }

    public static boolean bool(JsonNode node, String what) {
        if (node == null || !node.isBoolean()) {
            throw invalid(what + " must be true or false");
        }
        return node.booleanValue();
    }

    public static SyncException invalid(String detail) {
        return SyncException.badRequest("invalid json: " + detail);
    }
}
