package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Deletions: the server's graves sent by {@code start}, the client's applied by {@code applyGraves}. */
final class Graves {
    static final int CARD = 0;
    static final int NOTE = 1;
    static final int DECK = 2;

    private Graves() {
    }

    /** Graves with {@code usn >= clientUsn}, as {@code {"cards":[...],"decks":[...],"notes":[...]}}. */
    static ObjectNode since(Connection db, int clientUsn) throws SQLException {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        var cards = reply.putArray("cards");
        var decks = reply.putArray("decks");
        var notes = reply.putArray("notes");
        String sql = clientUsn == -1 ? "select oid, type from graves where usn = -1"
                : "select oid, type from graves where usn >= ?";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            if (clientUsn != -1) {
                ps.setInt(1, clientUsn);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    switch (rs.getInt(2)) {
                        case CARD -> cards.add(oid);
                        case NOTE -> notes.add(oid);
                        case DECK -> decks.add(oid);
                        default -> throw new SQLException("unknown grave type " + rs.getInt(2));
                    }
                }
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
        remove(db, ids(graves, "notes"), "delete from notes where id = ?", NOTE, serverUsn);
        remove(db, ids(graves, "cards"), "delete from cards where id = ?", CARD, serverUsn);
        remove(db, ids(graves, "decks"), "delete from decks where id = ?", DECK, serverUsn);
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

    private static void remove(Connection db, long[] ids, String deleteSql, int type, int usn) throws SQLException {
        if (ids.length == 0) {
            return;
        }
        try (PreparedStatement delete = db.prepareStatement(deleteSql);
             PreparedStatement grave = db.prepareStatement(
                     "insert or ignore into graves (oid, type, usn) values (?, ?, ?)")) {
            for (long id : ids) {
                delete.setLong(1, id);
                delete.addBatch();
                grave.setLong(1, id);
                grave.setInt(2, type);
                grave.setInt(3, usn);
                grave.addBatch();
            }
            delete.executeBatch();
            grave.executeBatch();
        }
    }
}
