package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** {@code sanityCheck2}: compares the client's object counts with the server's after the merge. */
final class SanityCheck {
    private static final List<String> USN_TABLES = List.of("cards", "notes", "revlog", "graves", "decks",
            "deck_config", "tags", "notetypes");
    private static final String[] COUNTED = {"cards", "notes", "revlog", "graves", "notetypes", "decks",
            "deck_config"};
    private static final int GRAVES_INDEX = 4;

    private SanityCheck() {
    }

    /** The reply; {@code ok()} tells whether the counts matched. */
    static Result check(Connection db, JsonNode clientCounts) throws SQLException {
        if (clientCounts == null || !clientCounts.isArray() || clientCounts.size() != 8) {
            throw JsonArgs.invalid("client counts must be an array of 8");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode reply = nodes.objectNode();
        try (Statement st = db.createStatement()) {
            for (String table : USN_TABLES) {
                try (ResultSet rs = st.executeQuery("select exists (select 1 from " + table + " where usn = -1)")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        reply.put("status", "bad");
                        reply.set("c", clientCounts);
                        reply.putNull("s");
                        return new Result(false, reply);
                    }
                }
            }
            ArrayNode server = nodes.arrayNode();
            server.addArray().add(0).add(0).add(0);
            for (String table : COUNTED) {
                try (ResultSet rs = st.executeQuery("select count() from " + table)) {
                    rs.next();
                    server.add(rs.getLong(1));
                }
            }
            ArrayNode client = clientCounts.deepCopy();
            client.set(0, nodes.arrayNode().add(0).add(0).add(0));
            client.set(GRAVES_INDEX, nodes.numberNode(0));
            server.set(GRAVES_INDEX, nodes.numberNode(0));
            boolean ok = countsEqual(client, server);
            reply.put("status", ok ? "ok" : "bad");
            reply.set("c", client);
            reply.set("s", server);
            return new Result(ok, reply);
        }
    }

    private static boolean countsEqual(ArrayNode client, ArrayNode server) {
        for (int i = 1; i < 8; i++) {
            JsonNode c = client.get(i);
            if (c == null || !c.isNumber() || c.asLong() != server.get(i).asLong()) {
                return false;
            }
        }
        return true;
    }

    record Result(boolean ok, ObjectNode reply) {
    }
}
