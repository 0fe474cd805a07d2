package org.ankisync.core.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.ankisync.core.framing.JsonPayloads;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.media.MediaSync;
import org.ankisync.core.storage.NewCollectionFactory;
import org.ankisync.core.storage.schema18.LegacyJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /sync/*} methods for an authenticated user: the normal-sync state
 * machine ({@code start} ... {@code finish}), {@code meta}, {@code abort} and the
 * full upload and download. Each call holds the user's lock; a normal sync's
 * writes live in one transaction owned by the user's {@link SyncSession}.
 */
public final class CollectionSyncService {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionSyncService.class);
    static final String V2_SCHEDULER_REFUSAL = "Your client does not support the v2 scheduler";
    static final String TIMEZONE_REFUSAL = "Your client does not support the new timezone handling.";
    /** The official server keeps abandoned sessions forever; we roll them back after this much silence. */
    static final long SESSION_IDLE_MILLIS = 30 * 60 * 1000L;
    private static final Set<String> SESSION_METHODS = Set.of("applyGraves", "applyChanges", "chunk",
            "applyChunk", "sanityCheck2", "finish");

    private final ObjectMapper json;
    private final Clock clock;
    private final NewCollectionFactory newCollections;
    private final MediaSync media;
    private final long maxUncompressedBytes;
    private final UnchunkedChanges unchunked;
    private final Chunks chunks;
    private final AutomaticSnapshots snapshots;

    public CollectionSyncService(ObjectMapper json, Clock clock, MediaSync media, long maxUncompressedBytes,
                                 AutomaticSnapshots snapshots) {
        this.json = json;
        this.clock = clock;
        this.newCollections = new NewCollectionFactory(clock);
        this.media = media;
        this.maxUncompressedBytes = maxUncompressedBytes;
        LegacyJson legacyJson = new LegacyJson();
        this.unchunked = new UnchunkedChanges(json, legacyJson);
        this.chunks = new Chunks(new NotetypeShapes(legacyJson));
        this.snapshots = snapshots;
    }

    /** Handles one {@code /sync/<method>} call (not {@code hostKey}) for an authenticated user. */
    public SyncReply handle(String method, UserCollection user, SyncRequest request, ReplyFramer framer,
                            String remoteAddress) {
        if (method.equals("upload")) {
            return upload(user, request, framer, remoteAddress);
        }
        user.acquire();
        boolean releaseNow = true;
        try {
            expireIdleSession(user);
            if (method.equals("download")) {
                SyncReply reply = download(user, request, framer);
                releaseNow = false;
                return reply.whenComplete(user::release);
            }
            SyncReply reply = framer.bytes(toJson(jsonMethod(method, user, request)));
            if (method.equals("meta")) {
                snapshots.afterMeta(user, request.clientVersion(), remoteAddress);
            }
            return reply;
        } finally {
            if (releaseNow) {
                user.release();
            }
        }
    }

    private Object jsonMethod(String method, UserCollection user, SyncRequest request) {
        switch (method) {
            case "meta":
                ObjectNode meta = meta(user, readJson(request));
                user.rememberMetaUsn(request.sessionKey(), meta.get("usn").asInt());
                return meta;
            case "start":
                return start(user, request, readJson(request));
            case "abort":
                drain(request);
                abort(user, request.sessionKey());
                return null;
            default:
                if (!SESSION_METHODS.contains(method)) {
                    throw SyncException.badRequest("unknown sync method " + method);
                }
                return inSession(method, user, request);
        }
    }

    /** {@code meta}: aborts any running session, creates a missing collection, reports the state. */
    ObjectNode meta(UserCollection user, JsonNode request) {
        user.abortSession();
        JsonNode v = request.get("v");
        JsonNode cv = request.get("cv");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || cv == null || !cv.isTextual()) {
            throw SyncException.badRequest("invalid json: meta needs integer v and string cv");
        }
        int version = v.intValue();
        ensureCollection(user);
        if (version < 8 || version > 11) {
            throw new SyncException(HttpStatus.CLIENT_TOO_OLD, "unsupported version: " + version);
        }
        ObjectNode reply = json.createObjectNode();
        Connection db = null;
        try {
            db = user.open();
        } catch (SQLException e) {
            throw SyncException.internal("sync meta: " + e.getMessage(), e);
        }
        try (Statement st = db.createStatement()) {
            long mod;
            long scm;
            int usn;
            try (ResultSet rs = st.executeQuery("select mod, scm, usn from col")) {
                if (!rs.next()) {
                    throw SyncException.internal("collection has no col row", null);
                }
                mod = rs.getLong(1);
                scm = rs.getLong(2);
                usn = rs.getInt(3);
            }
            boolean empty;
            try (ResultSet rs = st.executeQuery("select not exists (select 1 from cards)")) {
                empty = rs.next() && rs.getBoolean(1);
            }
            if (Files.size(user.file()) > maxUncompressedBytes) {
                // Too large to download again: force a full sync, as the official server does.
                scm = clock.millis();
            }
            String msg = "";
            boolean cont = true;
            if (version < 9 && "2".equals(configText(st, "schedVer"))) {
                msg = V2_SCHEDULER_REFUSAL;
                cont = false;
            } else if (version < 10 && isInteger(configText(st, "creationOffset"))) {
                msg = TIMEZONE_REFUSAL;
                cont = false;
            }
            reply.put("mod", mod);
            reply.put("scm", scm);
            reply.put("usn", usn);
            reply.put("ts", clock.millis() / 1000);
            reply.put("msg", msg);
            reply.put("cont", cont);
            reply.put("hostNum", 0);
            reply.put("empty", empty);
            reply.put("media_usn", media.currentUsn(user.username()));
        } catch (SQLException | IOException e) {
            throw SyncException.internal("sync meta: " + e.getMessage(), e);
        } finally {
            user.giveBack(db);
        }
        return reply;
    }

    /**
     * {@code abort}. The official server aborts whatever session is running,
     * whatever the key; then a device that lost a race (its session was
     * replaced by another device's {@code start}) aborts the winner's session
     * too, and both fail. Here an abort with a key only ends its own session;
     * one without a key (old clients) still ends any.
     */
    private void abort(UserCollection user, String sessionKey) {
        SyncSession session = user.session();
        if (session != null && (sessionKey.isEmpty() || session.sessionKey.equals(sessionKey))) {
            user.abortSession();
        }
    }

    /** {@code start}: replaces any running session with a new one and returns the server's graves. */
    private ObjectNode start(UserCollection user, SyncRequest request, JsonNode body) {
        if (request.sessionKey().isEmpty()) {
            throw SyncException.badRequest("missing skey");
        }
        int clientUsn = JsonArgs.int32(JsonArgs.required(body, "minUsn"), "minUsn");
        boolean clientIsNewer = JsonArgs.bool(body.get("lnewer"), "lnewer");
        user.abortSession();
        ensureCollection(user);
        Connection db = null;
        try {
            db = user.open();
            db.setAutoCommit(false);
            int serverUsn;
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select usn from col")) {
                rs.next();
                serverUsn = rs.getInt(1);
            }
            // The client stamps what it sends with the usn meta reported and sets its own usn to that
            // plus one at the end. If another device synced in between, those stamps would be older
            // than this session's usn and devices would miss each other's changes for good, so this
            // client must start over (the official server has this race).
            Optional<Integer> seenAtMeta = user.metaUsn(request.sessionKey());
            if (seenAtMeta.isPresent() && seenAtMeta.get() != serverUsn) {
                throw SyncException.conflict("the collection changed since this client's meta (usn "
                        + seenAtMeta.get() + ", now " + serverUsn + "): another device synced; try again");
            }
            SyncSession session = new SyncSession(request.sessionKey(), serverUsn, clientUsn, clientIsNewer, db,
                    clock.millis());
            ObjectNode graves = Graves.since(db, clientUsn);
            Graves.apply(db, body.get("graves"), serverUsn);
            user.session(session);
            LOG.debug("sync of {} started: key {}, server usn {}, client usn {}, client newer {}",
                    user.username(), request.sessionKey(), serverUsn, clientUsn, clientIsNewer);
            return graves;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(db);
            if (e instanceof SyncException se) {
                throw se;
            }
            throw SyncException.badRequest("op failed in sync_state: " + e.getMessage(), e);
        }
    }

    /** The stateful methods: key checks, then the step; a failing step rolls the whole session back. */
    private Object inSession(String method, UserCollection user, SyncRequest request) {
        if (request.sessionKey().isEmpty()) {
            throw SyncException.badRequest("missing skey");
        }
        SyncSession session = user.session();
        if (session == null) {
            throw SyncException.conflict("no active sync");
        }
        if (!session.sessionKey.equals(request.sessionKey())) {
            throw SyncException.conflict("active sync with different key");
        }
        JsonNode body = readJson(request);
        session.lastUsedMillis = clock.millis();
        try {
            switch (method) {
                case "applyGraves":
                    Graves.apply(session.db, JsonArgs.required(body, "chunk"), session.serverUsn);
                    return null;
                case "applyChanges":
                    return unchunked.exchange(session, JsonArgs.required(body, "changes"), clock.millis() / 1000);
                case "chunk":
                    if (session.outgoing == null) {
                        session.outgoing = Chunks.pending(session.db, session.clientUsn);
                    }
                    ObjectNode outgoing = Chunks.next(session.db, session.outgoing);
                    LOG.debug("chunk for {} ({}): {} revlog, {} cards, {} notes", user.username(),
                            session.sessionKey, outgoing.path("revlog").size(), outgoing.path("cards").size(),
                            outgoing.path("notes").size());
                    return outgoing;
                case "applyChunk":
                    JsonNode chunk = JsonArgs.required(body, "chunk");
                    LOG.debug("applyChunk for {} ({}): {} revlog, {} cards, {} notes", user.username(),
                            session.sessionKey, chunk.path("revlog").size(), chunk.path("cards").size(),
                            chunk.path("notes").size());
                    chunks.apply(session.db, chunk, session.clientUsn);
                    return null;
                case "sanityCheck2":
                    SanityCheck.Result result = SanityCheck.check(session.db, JsonArgs.required(body, "client"));
                    if (!result.ok()) {
                        LOG.info("sanity check failed for {}: {}", user.username(), result.reply());
                        user.abortSession();
                    }
                    return result.reply();
                case "finish":
                    return finish(user, session);
                default:
                    throw new IllegalStateException(method);
            }
        } catch (SQLException | RuntimeException e) {
            user.abortSession();
            if (e instanceof SyncException se && se.status() != HttpStatus.INTERNAL_ERROR) {
                throw SyncException.badRequest("op failed in sync_state: " + se.getMessage(), se);
            }
            throw SyncException.badRequest("op failed in sync_state: " + e.getMessage(), e);
        }
    }

    /** {@code finish}: {@code ls = mod = now}, {@code usn + 1}, commit; returns now. */
    private long finish(UserCollection user, SyncSession session) throws SQLException {
        long now = clock.millis();
        try (var ps = session.db.prepareStatement("update col set ls = ?, mod = ?, usn = usn + 1")) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.executeUpdate();
        }
        session.db.commit();
        user.session(null);
        session.rollbackAndRelease(user);
        LOG.debug("sync of {} finished: key {}, usn now {}", user.username(), session.sessionKey,
                session.serverUsn + 1);
        return now;
    }

    private SyncReply upload(UserCollection user, SyncRequest request, ReplyFramer framer, String remoteAddress) {
        FullSync.ReceivedUpload received;
        try {
            received = FullSync.receive(user.folder(), request.payload(), maxUncompressedBytes, clock.millis());
        } catch (IOException e) {
            throw SyncException.badRequest("reading upload: " + e.getMessage(), e);
        }
        if (!received.accepted()) {
            return framer.bytes(received.refusal().getBytes(StandardCharsets.UTF_8));
        }
        user.acquire();
        try {
            user.abortSession();
            user.closeIdle();
            snapshots.beforeFullUpload(user, request.clientVersion(), remoteAddress);
            FullSync.install(received.file(), user.file());
            LOG.info("full upload for {} installed", user.username());
        } catch (IOException e) {
            FullSync.deleteWithSidecars(received.file());
            throw SyncException.internal("rename upload: " + e.getMessage(), e);
        } catch (SyncException e) {
            FullSync.deleteWithSidecars(received.file());
            throw e;
        } finally {
            user.release();
        }
        return framer.bytes(FullSync.OK.getBytes(StandardCharsets.UTF_8));
    }

    /** Called with the user's lock held; the returned reply keeps it until written. */
    private SyncReply download(UserCollection user, SyncRequest request, ReplyFramer framer) {
        drain(request);
        user.abortSession();
        ensureCollection(user);
        user.closeIdle();
        long size;
        try {
            size = FullSync.prepareDownload(user.file(), clock.millis());
        } catch (SQLException | IOException e) {
            throw SyncException.internal("read col: " + e.getMessage(), e);
        }
        if (request.legacy()) {
            // Legacy clients only read schema 11: send a downgraded copy, keep the stored file at 18.
            java.nio.file.Path copy;
            try {
                copy = FullSync.schema11Copy(user.file());
                size = Files.size(copy);
            } catch (SQLException | IOException e) {
                throw SyncException.internal("downgrade for legacy download: " + e.getMessage(), e);
            }
            return framer.stream(size, out -> {
                try (InputStream in = Files.newInputStream(copy)) {
                    in.transferTo(out);
                }
            }).whenComplete(() -> FullSync.deleteWithSidecars(copy));
        }
        return framer.stream(size, out -> {
            try (InputStream in = Files.newInputStream(user.file())) {
                in.transferTo(out);
            }
        });
    }

    private void expireIdleSession(UserCollection user) {
        SyncSession session = user.session();
        if (session != null && clock.millis() - session.lastUsedMillis > SESSION_IDLE_MILLIS) {
            LOG.info("rolling back the abandoned sync of {}", user.username());
            user.abortSession();
        }
    }

    private void ensureCollection(UserCollection user) {
        try {
            user.ensureExists(newCollections);
        } catch (SQLException | IOException e) {
            throw SyncException.internal("open collection: " + e.getMessage(), e);
        }
    }

    /** Reads a whole JSON payload; an empty body counts as an empty object. */
    public JsonNode readJson(SyncRequest request) {
        return JsonPayloads.readObject(request, json, maxUncompressedBytes);
    }

    /** Methods without arguments still have their body read, so a broken body is reported. */
    private void drain(SyncRequest request) {
        readJson(request);
    }

    private byte[] toJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw SyncException.internal("couldn't serialize object", e);
        }
    }

    private static String configText(Statement st, String key) throws SQLException {
        try (ResultSet rs = st.executeQuery("select cast(val as text) from config where key = '" + key + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean isInteger(String jsonText) {
        return jsonText != null && jsonText.trim().matches("-?\\d+");
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // closing below discards the transaction anyway
            }
            try {
                db.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }
}
