package org.ankisync.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.ankisync.core.SyncServer;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;

/**
 * Runs a few small syncs against a throwaway collection before the server
 * takes requests, so that the JVM has compiled the sync path by the time the
 * first device arrives. A self-hosted server sees few syncs a day: without
 * this, each of its first dozens of syncs after a start spent more CPU in the
 * JIT compiler and the interpreter than in the sync itself.
 *
 * <p>Each warm-up sync is what a device sends after a day of reviews: meta,
 * start, applyGraves, applyChanges (a deck and tags), chunk, applyChunk (30
 * notes and cards, 10 review log entries), sanityCheck2 and finish, v11 framed
 * and zstd-compressed, after one login ({@code hostKey}): the protocol steps,
 * framing, JSON, SQLite and zstd code that real syncs run. It runs on a
 * {@link SyncServer} of its own in a temporary folder, which is deleted
 * afterwards, so it touches no user's data. By default that server has one
 * in-memory account and the requests go straight to {@link SyncServer#handle}.
 * A launcher can do more ({@link Servers}, {@link Channel}), and ours does: it
 * builds the warm-up's server as it builds its own (account database, metrics)
 * on the temporary folder, and sends the requests through its HTTP stack, so
 * that the first devices also meet compiled request parsing, login checks,
 * metrics and reply writing. In a profile of the first syncs after a start,
 * most of the compiler's work was code outside the protocol steps.
 */
public final class Warmup {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "warmup";
    private static final String IN_MEMORY_KEY = "warmup-host-key";
    private static final String CLIENT = "ankidesktop,26.9.3,linux:warmup";
    private static final int NOTES = 30;
    private static final int REVIEWS = 10;
    private static final long FIRST_ID = 1_700_000_000_000L;

    private final Channel channel;
    /** From the login; sent with every sync request. */
    private String hostKey;

    private long notetype;
    private long usn;
    /** The server's object counts after the last step: the next sync's client counts follow from them. */
    private ArrayNode counts;
    /** Whether the last sync was committed. */
    private boolean committed;

    private Warmup(Channel channel) {
        this.channel = channel;
    }

    /** How the warm-up's requests reach its server. */
    public interface Channel extends Closeable {
        /**
         * POSTs one request.
         *
         * @param path       below the server's root, e.g. {@code sync/meta}
         * @param syncHeader the {@code anki-sync} header's value
         * @param body       the zstd-compressed body
         * @return the reply's status and (still compressed) body
         */
        Response post(String path, String syncHeader, byte[] body) throws IOException;
    }

    /** A reply as a {@link Channel} received it. */
    public record Response(int status, byte[] body) {}

    /** Opens a {@link Channel} to the warm-up's own server (which the warm-up closes afterwards). */
    @FunctionalInterface
    public interface Channels {
        Channel open(SyncServer server) throws IOException;
    }

    /**
     * Builds the warm-up's server on its temporary folder, with one account that
     * the warm-up logs in with (a random password; the server is closed after the
     * warm-up).
     */
    @FunctionalInterface
    public interface Servers {
        SyncServer build(Path scratch, String user, String password) throws IOException;
    }

    /**
     * What a warm-up did.
     *
     * @param syncs     syncs run
     * @param committed syncs that passed the sanity check and reached {@code finish}
     * @param took      how long they took
     */
    public record Result(int syncs, int committed, Duration took) {}

    /**
     * Runs {@code syncs} warm-up syncs in a new folder under {@code scratchParent}
     * and deletes the folder.
     *
     * @throws IllegalStateException if a step fails (the caller logs it and starts anyway)
     */
    public static Result run(int syncs, Path scratchParent) throws IOException {
        return run(syncs, scratchParent, InProcess::new);
    }

    /**
     * The same, with each request sent through a channel that {@code channels}
     * opens to the warm-up's server.
     */
    public static Result run(int syncs, Path scratchParent, Channels channels) throws IOException {
        return run(syncs, scratchParent, channels, Warmup::inMemory);
    }

    /**
     * The same, on a server that {@code servers} builds in the temporary folder
     * (which is deleted afterwards, whatever the server wrote there).
     */
    public static Result run(int syncs, Path scratchParent, Channels channels, Servers servers) throws IOException {
        long start = System.nanoTime();
        Path folder = Files.createTempDirectory(scratchParent, "ankisyncd-warmup-");
        int committed = 0;
        try {
            // Random: the HTTP warm-up listens on a loopback port for its second.
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            try (SyncServer server = servers.build(folder, USER, password);
                    Channel channel = channels.open(server)) {
                Warmup warmup = new Warmup(channel);
                warmup.logIn(USER, password);
                for (int i = 0; i < syncs; i++) {
                    warmup.sync(i);
                    committed += warmup.committed ? 1 : 0;
                }
            }
        } finally {
            delete(folder);
        }
        return new Result(syncs, committed, Duration.ofNanos(System.nanoTime() - start));
    }

    /** A server with one in-memory account, its collections in {@code scratch}. */
    private static SyncServer inMemory(Path scratch, String user, String password) {
        ServerConfig config = ServerConfig.fromSettings(Map.of(ServerConfig.COLLECTIONS_PATH, scratch.toString()));
        return SyncServer.builder(config)
                .users(new OneUser(user, password))
                .hostKeys(new OneKey(user))
                .build();
    }

    /** The login a device does once: its host key is sent with every request afterwards. */
    private void logIn(String user, String password) {
        JsonNode reply =
                call("hostKey", "", JSON.createObjectNode().put("u", user).put("p", password));
        hostKey = reply.path("key").asText("");
        if (hostKey.isEmpty()) {
            throw new IllegalStateException("warm-up login: no key in " + reply);
        }
    }

    /** One normal sync; the first one also learns the notetype id and what the server holds. */
    private void sync(int round) {
        JsonNode meta = call("meta", "", JSON.createObjectNode().put("v", 11).put("cv", CLIENT));
        usn = meta.path("usn").asLong();
        String session = "w" + round;
        ObjectNode start = JSON.createObjectNode().put("minUsn", usn).put("lnewer", false);
        start.putNull("graves");
        call("start", session, start);
        call("applyGraves", session, JSON.createObjectNode().set("chunk", graves()));
        JsonNode serverChanges =
                call("applyChanges", session, JSON.createObjectNode().set("changes", changes(round)));
        if (counts == null) {
            // The first sync starts from usn 0, so the server sends everything it has:
            // its notetypes, its decks (the client adds one) and its deck options.
            notetype = serverChanges.path("models").path(0).path("id").asLong();
            JsonNode decks = serverChanges.path("decks");
            counts = (ArrayNode) JSON.valueToTree(List.of(
                    List.of(0, 0, 0),
                    NOTES,
                    NOTES,
                    0,
                    0,
                    serverChanges.path("models").size(),
                    decks.path(0).size() + 1,
                    decks.path(1).size()));
            committed = true;
        }
        for (int i = 0;
                i < 10
                        && !call("chunk", session, JSON.createObjectNode())
                                .path("done")
                                .asBoolean(true);
                i++) {
            // pending server rows: a device downloads them before it uploads its own
        }
        call("applyChunk", session, JSON.createObjectNode().set("chunk", chunk(round)));
        JsonNode sanity = call("sanityCheck2", session, JSON.createObjectNode().set("client", clientCounts()));
        if (sanity.path("s").isArray()) {
            counts = (ArrayNode) sanity.get("s");
        }
        committed = "ok".equals(sanity.path("status").asText());
        if (!committed) {
            throw new IllegalStateException("warm-up sanity check failed: " + sanity);
        }
        call("finish", session, JSON.createObjectNode());
    }

    private ObjectNode graves() {
        ObjectNode graves = JSON.createObjectNode();
        graves.putArray("cards");
        graves.putArray("notes");
        graves.putArray("decks");
        return graves;
    }

    private ObjectNode changes(int round) {
        ObjectNode changes = JSON.createObjectNode();
        changes.putArray("models");
        ArrayNode decks = changes.putArray("decks");
        ObjectNode deck = decks.addArray().addObject();
        deck.put("id", FIRST_ID).put("name", "Warm-up").put("mod", 1_700_000_000L + round);
        deck.put("usn", usn).put("collapsed", false).put("browserCollapsed", false);
        deck.put("desc", "").put("dyn", 0).put("conf", 1).put("extendNew", 0).put("extendRev", 0);
        for (String today : List.of("lrnToday", "revToday", "newToday", "timeToday")) {
            deck.putArray(today).add(0).add(0);
        }
        decks.addArray();
        changes.putArray("tags").add("warmup").add("round" + round % 3);
        changes.set("conf", JSON.createObjectNode().put("curDeck", 1));
        changes.put("crt", 1_600_000_000L);
        return changes;
    }

    /**
     * The same 30 notes and cards each time (edited: a later mod), and 10 new
     * review log entries; stamped with the server's usn, as a client stamps
     * what it sends.
     */
    private ObjectNode chunk(int round) {
        ObjectNode chunk = JSON.createObjectNode().put("done", true);
        ArrayNode notes = chunk.putArray("notes");
        ArrayNode cards = chunk.putArray("cards");
        ArrayNode revlog = chunk.putArray("revlog");
        long mod = 1_700_000_000L + round;
        for (int i = 0; i < NOTES; i++) {
            long id = FIRST_ID + i;
            notes.add(array(
                    id, "g" + id, notetype, mod, usn, " warmup ", "front " + i + "\u001fback " + round, "", 0, 0, ""));
            cards.add(array(id, id, 1, 0, mod, usn, 2, 2, 100 + round, 10, 2500, round, 0, 0, 0, 0, 0, ""));
        }
        for (int i = 0; i < REVIEWS; i++) {
            long cid = FIRST_ID + (round * REVIEWS + i) % NOTES;
            revlog.add(array(FIRST_ID + round * REVIEWS + i, cid, usn, 3, 10, 5, 2500, 4000, 1));
        }
        return chunk;
    }

    /** The counts a device would send: the server's after the last sync, plus this sync's review entries. */
    private ArrayNode clientCounts() {
        ArrayNode client = counts.deepCopy();
        if (committed) {
            client.set(3, client.get(3).asLong() + REVIEWS);
        }
        return client;
    }

    private static ArrayNode array(Object... values) {
        return JSON.valueToTree(List.of(values));
    }

    /** One v11 request; the reply's JSON. */
    private JsonNode call(String method, String session, JsonNode body) {
        String header = JSON.createObjectNode()
                .put("v", 11)
                .put("k", hostKey == null ? "" : hostKey)
                .put("c", CLIENT)
                .put("s", session)
                .toString();
        byte[] compressed = Zstd.compress(body.toString().getBytes(StandardCharsets.UTF_8), 1);
        Response reply;
        try {
            reply = channel.post("sync/" + method, header, compressed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (reply.status() != 200) {
            throw new IllegalStateException("warm-up " + method + ": " + reply.status() + " "
                    + new String(reply.body(), StandardCharsets.UTF_8));
        }
        // Streamed replies do not record their size in the frame: read them as a stream.
        try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(reply.body()))) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Straight to {@link SyncServer#handle}. */
    private record InProcess(SyncServer server) implements Channel {
        @Override
        public Response post(String path, String syncHeader, byte[] body) throws IOException {
            SyncReply reply = server.handle(new Call(path, syncHeader, body));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                reply.body().writeTo(out);
            } finally {
                reply.complete(); // releases what the reply holds (a download: its user's lock)
            }
            return new Response(reply.status(), out.toByteArray());
        }

        @Override
        public void close() {
            // the server is closed by the warm-up
        }
    }

    private record Call(String path, String syncHeader, byte[] bytes) implements SyncCall {
        @Override
        public String httpMethod() {
            return "POST";
        }

        @Override
        public Optional<String> header(String name) {
            return name.equalsIgnoreCase("anki-sync") ? Optional.of(syncHeader) : Optional.empty();
        }

        @Override
        public Optional<String> queryParameter(String name) {
            return Optional.empty();
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }
    }

    private static final class OneUser implements UserStore {
        private final String user;
        private final String password;

        OneUser(String user, String password) {
            this.user = user;
            this.password = password;
        }

        @Override
        public boolean verifyPassword(String username, String given) {
            return user.equals(username) && password.equals(given);
        }

        @Override
        public boolean exists(String username) {
            return user.equals(username);
        }

        @Override
        public List<String> list() {
            return List.of(user);
        }
    }

    private static final class OneKey implements HostKeys {
        private final String user;

        OneKey(String user) {
            this.user = user;
        }

        @Override
        public String issue(String username, LoginContext context) {
            return IN_MEMORY_KEY;
        }

        @Override
        public Optional<String> resolve(String hostKey) {
            return IN_MEMORY_KEY.equals(hostKey) ? Optional.of(user) : Optional.empty();
        }
    }
}
