package org.ankisync.e2e.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ankisync.e2e.harness.OurServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the recorded legacy requests of tools/make_legacy_fixtures.py (every
 * collection method, gzip on and off) against our server and checks each
 * reply field by field.
 */
class LegacyFixtureReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @RegisterExtension
    final OurServerExtension ours = new OurServerExtension();

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "plain"})
    void recordedSessionReplaysWithTheExpectedReplies(String flavour) throws Exception {
        JsonNode manifest = JSON.readTree(resource(flavour + "/steps.json"));
        LegacyClient client = new LegacyClient(ours.endpoint());
        for (JsonNode step : manifest.get("steps")) {
            String file = step.get("file").asText();
            LegacyClient.Reply reply = client.postRaw(
                    step.get("path").asText(), step.get("contentType").asText(), resource(flavour + "/" + file));
            JsonNode expect = step.get("expect");
            String where = flavour + "/" + file;
            assertEquals(expect.get("status").asInt(), reply.status(), where + ": " + reply.text());
            if (reply.status() != 200) {
                continue;
            }
            assertEquals("application/octet-stream", reply.contentType(), where);
            assertNull(reply.originalSize(), where + ": legacy replies carry no anki-original-size");
            if (expect.has("text")) {
                assertEquals(expect.get("text").asText(), reply.text(), where);
            } else if (expect.has("json")) {
                assertMatches(expect.get("json"), reply.json(), where);
            } else if (expect.has("collection")) {
                checkCollection(expect.get("collection"), reply.body(), where);
            }
        }
    }

    @Test
    void bodiesThatAreNotFormsAndBadGetsAre400() {
        LegacyClient client = new LegacyClient(ours.endpoint());
        byte[] json = "{\"v\":10,\"cv\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, client.postRaw("sync/meta", "application/json", json).status());
        assertEquals(400, client.postRaw("sync/meta", null, json).status());
        assertEquals(
                400,
                client.postRaw("sync/meta", LegacyClient.CONTENT_TYPE, json).status());
        // GET msync/begin needs both query parameters.
        assertEquals(400, client.get("msync/begin?k=abc").status());
    }

    private static void assertMatches(JsonNode expected, JsonNode actual, String where) {
        if (expected.isTextual() && expected.asText().equals("$key")) {
            // A host key: ours are random per login (the official server derives them), so only the shape is fixed.
            assertTrue(actual.isTextual() && actual.asText().matches("[0-9a-f]{40,}"), where + ": key, got " + actual);
            return;
        }
        if (expected.isTextual() && expected.asText().startsWith("$")) {
            String kind = expected.asText();
            assertTrue(actual.isIntegralNumber(), where + ": " + kind + " expected, got " + actual);
            long value = actual.asLong();
            switch (kind) {
                case "$int" -> {}
                case "$now_secs" ->
                    assertTrue(
                            Math.abs(value - System.currentTimeMillis() / 1000) < 600, where + ": not now: " + value);
                case "$now_millis" ->
                    assertTrue(Math.abs(value - System.currentTimeMillis()) < 600_000, where + ": not now: " + value);
                default -> fail("unknown matcher " + kind);
            }
            return;
        }
        if (expected.isObject()) {
            assertTrue(actual.isObject(), where + ": object expected, got " + actual);
            assertEquals(names(expected), names(actual), where + ": keys");
            for (Map.Entry<String, JsonNode> e : expected.properties()) {
                assertMatches(e.getValue(), actual.get(e.getKey()), where + "." + e.getKey());
            }
            return;
        }
        if (expected.isArray()) {
            assertTrue(actual.isArray(), where + ": array expected, got " + actual);
            assertEquals(expected.size(), actual.size(), where + ": length of " + actual);
            for (int i = 0; i < expected.size(); i++) {
                assertMatches(expected.get(i), actual.get(i), where + "[" + i + "]");
            }
            return;
        }
        if (expected.isNumber()) {
            assertTrue(actual.isNumber(), where + ": number expected, got " + actual);
            assertEquals(expected.asLong(), actual.asLong(), where);
            return;
        }
        assertEquals(expected, actual, where);
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void checkCollection(JsonNode expect, byte[] body, String where) throws Exception {
        assertTrue(new String(body, 0, 15, StandardCharsets.US_ASCII).equals("SQLite format 3"), where);
        // Header bytes 18 and 19: 1 = rollback journal (DELETE), 2 = WAL.
        assertEquals(1, body[18], where + ": file format write version");
        assertEquals(1, body[19], where + ": file format read version");
        Path file = temp.resolve("download-" + where.replace('/', '-') + ".anki2");
        Files.write(file, body);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("pragma journal_mode")) {
                rs.next();
                assertEquals(expect.get("journal_mode").asText(), rs.getString(1), where);
            }
            try (ResultSet rs = st.executeQuery("select ver, usn, length(models) > 2, length(decks) > 2,"
                    + " length(dconf) > 2, length(conf) > 2 from col")) {
                rs.next();
                assertEquals(expect.get("ver").asInt(), rs.getInt(1), where + ": ver");
                assertEquals(expect.get("usn").asInt(), rs.getInt(2), where + ": usn");
                for (int i = 3; i <= 6; i++) {
                    assertTrue(rs.getBoolean(i), where + ": JSON column " + i + " is filled");
                }
            }
            assertEquals(expect.get("notes").asLong(), scalar(st, "select count() from notes"), where + ": notes");
            assertEquals(expect.get("cards").asLong(), scalar(st, "select count() from cards"), where + ": cards");
            assertEquals(
                    1,
                    scalar(
                            st,
                            "select count() from notes where id = "
                                    + expect.get("has_note").asLong()),
                    where + ": the note added by applyChunk");
            assertEquals(
                    0,
                    scalar(
                            st,
                            "select count() from notes where id = "
                                    + expect.get("lacks_note").asLong()),
                    where + ": the note deleted by the graves of start");
            assertEquals(
                    0,
                    scalar(
                            st,
                            "select count() from sqlite_master where name in ('notetypes', 'decks',"
                                    + " 'deck_config', 'config', 'tags', 'fields', 'templates')"),
                    where + ": schema-18 tables");
        }
    }

    private static long scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LegacyFixtureReplayTest.class.getResourceAsStream("/legacy/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource legacy/" + name);
            }
            return in.readAllBytes();
        }
    }
}
