package org.ankisync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.storage.CollectionDatabase;

/**
 * Fuzzes the JSON merge input: inside a real session on a temporary
 * collection, {@code start}, {@code applyGraves}, {@code applyChanges},
 * {@code applyChunk} and {@code sanityCheck2} get mutated bodies (tree edits:
 * wrong types, huge numbers, deep nesting, missing and unknown keys; and byte
 * edits: broken JSON and UTF-8). The rules: never a 5xx, an error reply has a
 * message, and a failed step leaves the collection unchanged even if the
 * client goes on to {@code finish}.
 *
 * <p>Default try counts are small (see {@code junit-platform.properties}); for
 * a longer run: {@code -Djqwik.tries.default=5000}.
 */
class SessionFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "fuzz";
    private static final String KEY = "fuzz-host-key";
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static Path folder;
    private static SyncServer server;
    private static long basicNotetype;
    private static List<Long> noteIds;
    private static String baseline;

    @BeforeContainer
    static void setUp() throws Exception {
        folder = Files.createTempDirectory("ankisync-session-fuzz");
        ServerConfig config = ServerConfig.fromSettings(
                Map.of(ServerConfig.COLLECTIONS_PATH, folder.toString(), ServerConfig.MAX_UPLOAD_MB, "1"));
        server = SyncServer.builder(config)
                .users(new UserStore() {
                    @Override
                    public boolean verifyPassword(String username, String password) {
                        return USER.equals(username) && "pw".equals(password);
                    }

                    @Override
                    public boolean exists(String username) {
                        return USER.equals(username);
                    }

                    @Override
                    public List<String> list() {
                        return List.of(USER);
                    }
                })
                .hostKeys(new HostKeys() {
                    @Override
                    public String issue(String username, LoginContext context) {
                        return KEY;
                    }

                    @Override
                    public Optional<String> resolve(String hostKey) {
                        return KEY.equals(hostKey) ? Optional.of(USER) : Optional.empty();
                    }
                })
                .build();
        assertEquals(
                200,
                call("meta", "", json("{\"v\":11,\"cv\":\"fuzz,1,linux\"}")).status());
        try (Connection db = open();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select id from notetypes order by id limit 1")) {
            rs.next();
            basicNotetype = rs.getLong(1);
        }
        // Some content, so that graves and replaced rows have something to hit.
        String s = "seed";
        ok(call("start", s, json("{\"minUsn\":0,\"lnewer\":false}")));
        ok(call("applyChanges", s, json("{\"changes\":" + changes() + "}")));
        ok(call("applyChunk", s, json("{\"chunk\":" + chunk(0) + "}")));
        ok(call("finish", s, json("{}")));
        noteIds = new ArrayList<>();
        try (Connection db = open();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select id from notes order by id")) {
            while (rs.next()) {
                noteIds.add(rs.getLong(1));
            }
        }
        assertTrue(noteIds.size() >= 10, "seeded notes: " + noteIds.size());
        baseline = digest();
    }

    @AfterContainer
    static void tearDown() throws IOException {
        server.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Property
    void mutatedTreesNever5xxAndFailuresChangeNothing(@ForAll("methods") String method, @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        JsonNode body = seedBody(method);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            body = JsonMutator.mutate(body, random);
        }
        runStep(method, json(body.toString()), body.toString());
    }

    @Property
    void mutatedBytesNever5xxAndFailuresChangeNothing(@ForAll("methods") String method, @ForAll long seed)
            throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(seedBody(method));
        byte[] mutated = Mutations.mutate(bytes, new Random(seed));
        runStep(method, Zstd.compress(mutated), new String(mutated, StandardCharsets.UTF_8));
    }

    /** Regression (hostile-input suite): trailing garbage after the JSON was ignored, abort answered 200. */
    @Example
    void trailingGarbageAfterTheJsonIsRefused() {
        for (String method : List.of("abort", "meta", "start")) {
            SyncReply reply = call(method, "t", json("{\"v\":11,\"cv\":\"x\",\"minUsn\":0,\"lnewer\":false}}}x"));
            int status = reply.status();
            String text = text(reply);
            assertEquals(400, status, method + ": " + text);
            assertTrue(text.contains("invalid json"), text);
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("start", "applyGraves", "applyChanges", "applyChunk", "sanityCheck2");
    }

    /** start (unless the step is start), the mutated step, then finish or abort; the collection must not change. */
    private static void runStep(String method, byte[] zstdBody, String shown) throws Exception {
        String session = "f" + SESSIONS.incrementAndGet();
        if (!method.equals("start")) {
            SyncReply started = call("start", session, json("{\"minUsn\":0,\"lnewer\":false}"));
            assertEquals(200, started.status(), () -> text(started));
        }
        SyncReply reply = call(method, session, zstdBody);
        String replyText = reply.status() == 200 ? "" : text(reply);
        assertTrue(reply.status() < 500, () -> method + " " + shown + " -> " + reply.status() + " " + replyText);
        if (reply.status() == 200) {
            drain(reply);
            // A successful step is legitimate; throw it away.
            call("abort", session, json("{}")).complete();
        } else {
            assertTrue(reply.status() >= 400 && !replyText.isBlank(), () -> reply.status() + " without a message");
            // A client that goes on after a failure must not commit half a step.
            SyncReply finished = call("finish", session, json("{}"));
            drain(finished);
            call("abort", session, json("{}")).complete();
            assertEquals(
                    baseline,
                    digest(),
                    () -> "collection changed by a failed " + method + " " + shown + " -> " + reply.status() + " "
                            + replyText + "; finish then gave " + finished.status());
        }
        // Either way, nothing outside an open session may have changed.
        assertEquals(baseline, digest(), () -> "collection changed after " + method + " " + shown);
    }

    private static JsonNode seedBody(String method) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        switch (method) {
            case "start" -> {
                body.put("minUsn", 0).put("lnewer", false);
                ObjectNode graves = body.putObject("graves");
                graves.putArray("cards").add(noteIds.get(1));
                graves.putArray("notes").add(noteIds.get(0)).add(noteIds.get(1));
                graves.putArray("decks");
            }
            case "applyGraves" -> {
                ObjectNode graves = body.putObject("chunk");
                graves.putArray("cards").add(noteIds.get(2)).add(noteIds.get(3));
                graves.putArray("notes").add(noteIds.get(2)).add(noteIds.get(3)).add(noteIds.get(4));
                graves.putArray("decks");
            }
            case "applyChanges" -> body.set("changes", changes());
            case "applyChunk" -> body.set("chunk", chunk(1));
            case "sanityCheck2" -> body.set("client", readTree("[[0,0,0],10,10,10,1,1,1,1]"));
            default -> throw new IllegalArgumentException(method);
        }
        return body;
    }

    private static ObjectNode changes() {
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        changes.putArray("models");
        ArrayNode decks = changes.putArray("decks");
        decks.addArray()
                .add(
                        readTree(
                                "{\"id\":1700000000001,\"name\":\"Fuzz\",\"mod\":1700000000,\"usn\":-1,"
                                        + "\"lrnToday\":[0,0],\"revToday\":[0,0],\"newToday\":[0,0],\"timeToday\":[0,0],\"collapsed\":false,"
                                        + "\"browserCollapsed\":false,\"desc\":\"\",\"dyn\":0,\"conf\":1,\"extendNew\":0,\"extendRev\":0}"));
        decks.addArray();
        changes.putArray("tags").add("fuzzed").add("other");
        changes.set("conf", readTree("{\"curDeck\":1,\"activeDecks\":[1]}"));
        changes.put("crt", 1_600_000_000L);
        return changes;
    }

    private static ObjectNode chunk(int part) {
        ObjectNode chunk = JsonNodeFactory.instance.objectNode();
        ArrayNode notes = chunk.putArray("notes");
        ArrayNode cards = chunk.putArray("cards");
        ArrayNode revlog = chunk.putArray("revlog");
        int count = part == 0 ? 12 : 3;
        for (int i = 0; i < count; i++) {
            long id = 1_600_000_000_000L + part * 100 + i;
            notes.add(JSON.valueToTree(
                    List.of(id, "guid" + id, basicNotetype, 1_700_000_000L, -1, "", "f\u001fb", "", "", 0, "")));
            cards.add(JSON.valueToTree(List.of(id, id, 1, 0, 1_700_000_000L, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, "")));
            revlog.add(JSON.valueToTree(List.of(id, id, -1, 3, 1, 0, 2500, 1000, 1)));
        }
        chunk.put("done", true);
        return chunk;
    }

    // --- plumbing ----------------------------------------------------------

    private static SyncReply call(String method, String session, byte[] zstdBody) {
        String header = JsonNodeFactory.instance
                .objectNode()
                .put("v", 11)
                .put("k", KEY)
                .put("c", "fuzz,1,linux")
                .put("s", session)
                .toString();
        return server.handle(TestCall.v11("sync/" + method, header, zstdBody));
    }

    private static void ok(SyncReply reply) {
        int status = reply.status();
        String body = text(reply);
        assertEquals(200, status, body);
    }

    private static byte[] json(String text) {
        return Zstd.compress(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(SyncReply reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            reply.body().writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            reply.complete();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void drain(SyncReply reply) {
        text(reply);
    }

    private static Connection open() throws Exception {
        return CollectionDatabase.open(folder.resolve(USER).resolve("collection.anki2"));
    }

    /** Everything a sync step could change, except the col fields that finish itself sets. */
    private static String digest() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Connection db = open();
                Statement st = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                String query = table.equals("col")
                        ? "select id, crt, scm, ver, dty, conf, models, decks, dconf, tags from col"
                        : "select * from \"" + table + "\" order by 1, 2";
                try (ResultSet rs = st.executeQuery(query)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    sha.update(table.getBytes(StandardCharsets.UTF_8));
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            byte[] value = rs.getBytes(i);
                            sha.update(value == null ? new byte[] {0x7f} : value);
                            sha.update((byte) 0x1f);
                        }
                        sha.update((byte) 0x1e);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Structural edits of a JSON tree: the kinds of wrong input a broken or hostile client sends. */
    static final class JsonMutator {
        private JsonMutator() {}

        static JsonNode mutate(JsonNode root, Random random) {
            JsonNode copy = root.deepCopy();
            List<ContainerNode<?>> containers = new ArrayList<>();
            collect(copy, containers);
            ContainerNode<?> target = containers.get(random.nextInt(containers.size()));
            if (target.size() == 0 || random.nextInt(6) == 0) {
                add(target, random);
            } else if (target instanceof ObjectNode object) {
                List<String> keys = new ArrayList<>();
                object.fieldNames().forEachRemaining(keys::add);
                String key = keys.get(random.nextInt(keys.size()));
                if (random.nextInt(4) == 0) {
                    object.remove(key);
                } else {
                    object.set(key, hostile(random));
                }
            } else {
                ArrayNode array = (ArrayNode) target;
                int index = random.nextInt(array.size());
                switch (random.nextInt(4)) {
                    case 0 -> array.remove(index);
                    case 1 -> array.add(array.get(index).deepCopy());
                    default -> array.set(index, hostile(random));
                }
            }
            return copy;
        }

        private static void collect(JsonNode node, List<ContainerNode<?>> into) {
            if (node instanceof ContainerNode<?> container) {
                into.add(container);
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    collect(it.next(), into);
                }
            }
        }

        private static void add(ContainerNode<?> target, Random random) {
            if (target instanceof ObjectNode object) {
                String[] keys = {"id", "usn", "mod", "name", "unknown", "", "\u0000", "done", "notes", "cards"};
                object.set(keys[random.nextInt(keys.length)], hostile(random));
            } else {
                ((ArrayNode) target).add(hostile(random));
            }
        }

        static JsonNode hostile(Random random) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (random.nextInt(20)) {
                case 0 -> f.nullNode();
                case 1 -> f.booleanNode(random.nextBoolean());
                case 2 -> f.numberNode(Long.MAX_VALUE);
                case 3 -> f.numberNode(Long.MIN_VALUE);
                case 4 -> f.numberNode(new BigInteger("1" + "0".repeat(40)));
                case 5 -> f.numberNode(-1);
                case 6 -> f.numberNode(0);
                case 7 -> f.numberNode(1e308);
                case 8 -> f.numberNode(Double.NaN);
                case 9 -> f.numberNode(3.75);
                case 10 -> f.textNode("");
                case 11 -> f.textNode("x".repeat(100_000));
                case 12 -> f.textNode("../../etc/passwd\u0000\ud800");
                case 13 -> f.numberNode((long) Integer.MAX_VALUE + 1);
                case 14 -> f.objectNode();
                case 15 -> f.arrayNode();
                case 16 -> {
                    ArrayNode deep = f.arrayNode();
                    ArrayNode at = deep;
                    for (int i = 0; i < 200; i++) {
                        at = at.addArray();
                    }
                    yield deep;
                }
                case 17 -> f.textNode("1700000000000");
                case 18 -> f.numberNode(random.nextLong());
                default -> f.numberNode(random.nextInt(2000) - 1000);
            };
        }
    }
}
