package org.ankisync.core.storage.schema18;

import com.fasterxml.jackson.databind.JsonNode;

/** Writes legacy JSON text (notetypes, decks, deck configs) byte-for-byte as serde_json does. */
public final class LegacyJsonWriter {

    private LegacyJsonWriter() {}

    /**
     * Writes a JSON value as compact text the way serde_json does: escapes as
     * in legacy-json.md 1.3, floats in shortest form. Object keys keep their
     * order (the objects made here are already in the official order).
     */
    public static String write(JsonNode value) {
        StringBuilder sb = new StringBuilder();
        writeOrdered(value, sb);
        return sb.toString();
    }

    private static void writeOrdered(JsonNode node, StringBuilder sb) {
        if (node.isObject()) {
            sb.append('{');
            boolean first = true;
            for (var it = node.properties().iterator(); it.hasNext(); ) {
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
}
