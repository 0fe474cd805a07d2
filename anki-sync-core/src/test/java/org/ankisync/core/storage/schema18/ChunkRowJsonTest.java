package org.ankisync.core.storage.schema18;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.core.storage.CollectionDatabase;
import org.ankisync.core.storage.NewCollectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card and revlog rows a {@code chunk} sends, written as JSON by SQLite,
 * hold what reading each column through JDBC gives ({@code getLong} for the
 * numbers, {@code getString} for {@code data}, as the chunk read them
 * before), for ordinary rows and for values stored with the wrong type.
 */
class ChunkRowJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void cardRowsHoldWhatJdbcReads() throws Exception {
        try (Connection db = collection()) {
            insertCard(db, "1, 2, 1, 0, 1700000000, 5, 2, 2, 20001, 30, 2500, 7, 1, 0, 0, 0, 3, '{}'");
            // the extremes of a 64-bit number, negatives, and data that needs escapes
            insertCard(
                    db,
                    "9223372036854775807, -9223372036854775808, -1, 65535, -5, -1, 0, -1, -2000, -30,"
                            + " 0, 0, 0, 1001, 123, 1, 255, 'quote \" back \\ tab \t nl \n nul ' || char(0) || ' é 🦀'");
            // wrong types: reals, text, a blob as data (the schema refuses NULLs)
            insertCard(db, "3, 4.9, '5abc', 1.5, '1700000001', 0, 1, 1, -3.7, 2.0, '2500', 0, 0, 0, 0, 0, 0, 12.5");
            insertCard(db, "4, 4, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, cast('blob data' as blob)");
            // bytes that are not UTF-8 (a lone continuation byte, a cut-off sequence): replaced as getString does
            insertCard(db, "5, 4, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, cast(x'ff41c3' as blob)");
            List<Long> ids = List.of(1L, 9223372036854775807L, 3L, 4L, 5L, 404L);

            JsonNode json = asSent(CardTable.jsonArray(db, ids));
            ArrayNode expected = readByColumn(
                    db,
                    "select id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue,"
                            + " odid, flags, data from cards",
                    ids,
                    CardTable.NUMBERS);

            assertEquals(5, expected.size(), "the cards that exist");
            assertEquals(sent(expected), sent(json), "the cards, in the order asked for");
            assertEquals("\uFFFDA\uFFFD", json.get(4).get(17).asText(), "malformed bytes replaced");
            assertTrue(json.get(1).get(17).asText().endsWith("é 🦀"), "text is not mangled");
        }
    }

    @Test
    void noteRowsHoldWhatJdbcReads() throws Exception {
        try (Connection db = collection()) {
            long mid = anyNotetype(db);
            insertNote(
                    db,
                    "1, 'guid1', " + mid
                            + ", 1700000000, 5, ' tag1 tag2 ', 'front' || char(31) || 'back', 'front', 123, 0, ''");
            // field separators, escapes, non-ASCII, a NUL, the extremes of a number
            insertNote(
                    db,
                    "9223372036854775807, 'g\"\\', " + mid + ", -1, -1, '', 'quote \" back \\ tab \t nl \n' || char(31)"
                            + " || 'nul ' || char(0) || ' é 🦀 <b>&amp;</b>', '', 0, 0, ''");
            // wrong types, and bytes that are not UTF-8: replaced as getString does
            insertNote(db, "3, 42, '" + mid + "', 1.5, '7x', 2.5, cast(x'ff41c3' as blob), '', 0, 0, ''");
            List<Long> ids = List.of(3L, 404L, 9223372036854775807L, 1L);

            JsonNode json = asSent(NoteTable.jsonArray(db, ids));
            ArrayNode expected =
                    readByColumn(db, "select id, guid, mid, mod, usn, tags, flds from notes", ids, List.of(1, 3, 4, 5));
            for (JsonNode row : expected) {
                ((ArrayNode) row).add("").add("").add(0).add("");
            }

            assertEquals(3, expected.size(), "the notes that exist");
            assertEquals(sent(expected), sent(json), "the notes, in the order asked for");
            assertEquals("\uFFFDA\uFFFD", json.get(0).get(6).asText(), "malformed bytes replaced");
            assertTrue(json.get(1).get(6).asText().endsWith("é 🦀 <b>&amp;</b>"), "text is not mangled");
        }
    }

    @Test
    void revlogRowsHoldWhatJdbcReads() throws Exception {
        try (Connection db = collection()) {
            insertRevlog(db, "1700000000123, 1, 5, 3, 10, 4, 2500, 6000, 1");
            insertRevlog(db, "-1, -2, -1, 0, -86400, -1, 0, 0, 0");
            insertRevlog(db, "7, 8.6, '9', 1, 2.5, 'x', '2500x', 60000.9, 4");
            List<Long> ids = List.of(1700000000123L, -1L, 7L, 8L);

            JsonNode json = asSent(RevlogTable.jsonArray(db, ids));
            ArrayNode expected = readByColumn(
                    db,
                    "select id, cid, usn, ease, ivl, lastIvl, factor, time, type from revlog",
                    ids,
                    RevlogTable.COLUMNS);

            assertEquals(3, json.size());
            assertEquals(sent(expected), sent(json), "the entries, in the order asked for");
        }
    }

    @Test
    void manyRowsComeInTheOrderAskedFor() throws Exception {
        try (Connection db = collection()) {
            List<Long> ids = new ArrayList<>();
            for (long i = 0; i < 1234; i++) {
                insertRevlog(db, (i + 1) + ", 1, 0, 3, 1, 0, 2500, 1000, 1");
                // every id once, neither ascending nor descending: a chunk takes its ids from
                // the end of lists in the usn index's order
                ids.add(i * 7919 % 1234 + 1);
            }
            JsonBytes json = RevlogTable.jsonArray(db, ids);
            JsonNode rows = JSON.readTree(json.getValue());
            assertEquals(1234, rows.size());
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(ids.get(i).longValue(), rows.get(i).get(0).asLong(), "row " + i);
            }
            assertEquals("[]", RevlogTable.jsonArray(db, List.of(5000L)).getValue(), "none of the ids exist");
            assertEquals("[]", RevlogTable.jsonArray(db, List.of()).getValue(), "no ids");
            assertEquals(
                    "{\"revlog\":" + json.getValue() + "}",
                    new String(
                            JSON.writeValueAsBytes(JSON.createObjectNode().putRawValue("revlog", new RawValue(json))),
                            StandardCharsets.UTF_8),
                    "the bytes go into a reply as they are");
        }
    }

    @Test
    void eachIdIsOnePrimaryKeyLookup() throws Exception {
        try (Connection db = collection()) {
            for (String select : List.of(CardTable.JSON_SELECT, RevlogTable.JSON_SELECT, NoteTable.JSON_SELECT)) {
                StringBuilder plan = new StringBuilder();
                try (PreparedStatement st = db.prepareStatement("explain query plan " + select)) {
                    st.setString(1, "[1,2]");
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            plan.append(rs.getString("detail")).append('\n');
                        }
                    }
                }
                assertTrue(plan.toString().contains("SCAN j"), plan.toString());
                assertTrue(plan.toString().contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"), plan.toString());
            }
        }
    }

    /** Rows as a reply carries them: written raw by Jackson's UTF-8 generator, read back. */
    private static JsonNode asSent(JsonBytes rows) throws Exception {
        JsonNode reply =
                JSON.readTree(JSON.writeValueAsBytes(JSON.createObjectNode().putRawValue("rows", new RawValue(rows))));
        return reply.get("rows");
    }

    /** The JSON as Jackson writes it (numbers compared by value, not by node type). */
    private static String sent(JsonNode row) throws Exception {
        return JSON.writeValueAsString(row);
    }

    private Connection collection() throws Exception {
        Path file = folder.resolve("collection.anki2");
        new NewCollectionFactory(Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC)).create(file);
        return CollectionDatabase.open(file);
    }

    private static void insertCard(Connection db, String values) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("insert into cards values (" + values + ")")) {
            st.executeUpdate();
        }
    }

    private static void insertNote(Connection db, String values) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("insert into notes values (" + values + ")")) {
            st.executeUpdate();
        }
    }

    private static long anyNotetype(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("select id from notetypes limit 1");
                ResultSet rs = st.executeQuery()) {
            assertTrue(rs.next(), "a new collection has notetypes");
            return rs.getLong(1);
        }
    }

    private static void insertRevlog(Connection db, String values) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("insert into revlog values (" + values + ")")) {
            st.executeUpdate();
        }
    }

    /**
     * The oracle: each column read on its own, numbers with getLong and the rest
     * with getString; the rows that exist, in the order of {@code ids}.
     */
    private static ArrayNode readByColumn(Connection db, String select, List<Long> ids, int numbers)
            throws SQLException {
        List<Integer> numberColumns = new ArrayList<>();
        for (int i = 1; i <= numbers; i++) {
            numberColumns.add(i);
        }
        return readByColumn(db, select, ids, numberColumns);
    }

    /** The same, with the columns read as numbers given by position (from 1). */
    private static ArrayNode readByColumn(Connection db, String select, List<Long> ids, List<Integer> numberColumns)
            throws SQLException {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (long id : ids) {
            try (PreparedStatement st = db.prepareStatement(select + " where id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    ArrayNode row = JsonNodeFactory.instance.arrayNode();
                    int columns = rs.getMetaData().getColumnCount();
                    for (int i = 1; i <= columns; i++) {
                        if (numberColumns.contains(i)) {
                            row.add(rs.getLong(i));
                        } else {
                            String text = rs.getString(i);
                            if (text == null) {
                                row.addNull();
                            } else {
                                row.add(text);
                            }
                        }
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
