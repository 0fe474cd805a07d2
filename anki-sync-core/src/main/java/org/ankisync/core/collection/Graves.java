package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.storage.schema18.GraveTable;

/** Deletions in their JSON form: the server's graves sent by {@code start}, the client's applied by {@code start} and {@code applyGraves}. */
final class Graves {

    private Graves() {}

    /** Graves with {@code usn >= clientUsn}, as {@code {"cards":[...],"decks":[...],"notes":[...]}}. */
    static ObjectNode since(Connection db, int clientUsn) throws SQLException {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        ArrayNode cards = reply.putArray("cards");
        ArrayNode decks = reply.putArray("decks");
        ArrayNode notes = reply.putArray("notes");
        for (GraveTable.Grave grave : GraveTable.since(db, clientUsn)) {
            switch (grave.kind()) {
                case CARD -> cards.add(grave.oid());
                case NOTE -> notes.add(grave.oid());
                case DECK -> decks.add(grave.oid());
            }
        }
        return reply;
    }

    /** Deletes the objects and records graves with the session usn: notes, then cards, then decks. */
    static void apply(Connection db, JsonNode graves, int serverUsn) throws SQLException {
        if (graves == null || graves.isNull()) {
            return;
        }
        if (!graves.isObject()) {
            throw JsonArgs.invalid("graves must be an object");
        }
        GraveTable.remove(db, ids(graves, "notes"), GraveTable.Kind.NOTE, serverUsn);
        GraveTable.remove(db, ids(graves, "cards"), GraveTable.Kind.CARD, serverUsn);
        GraveTable.remove(db, ids(graves, "decks"), GraveTable.Kind.DECK, serverUsn);
    }

    private static long[] ids(JsonNode graves, String key) {
        JsonNode list = graves.get(key);
        if (list == null || list.isNull()) {
            return new long[0];
        }
        if (!list.isArray()) {
            throw JsonArgs.invalid("graves." + key + " must be an array");
        }
        long[] ids = new long[list.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = JsonArgs.integerOrString(list.get(i), "grave id");
        }
        return ids;
    }
}
