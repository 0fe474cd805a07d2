package org.ankisync.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ankisync.core.activity.SyncActivity;
import org.ankisync.core.auth.HostKeys;
import org.ankisync.core.auth.LoginThrottle;
import org.ankisync.core.auth.UserStore;
import org.ankisync.core.cluster.PlacementGate;
import org.ankisync.core.cluster.UserPlacement;
import org.ankisync.core.collection.AutomaticSnapshots;
import org.ankisync.core.collection.CollectionSyncService;
import org.ankisync.core.collection.UserCollection;
import org.ankisync.core.collection.UserCollections;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.framing.ClientBody;
import org.ankisync.core.framing.JsonArgs;
import org.ankisync.core.framing.LegacyFraming;
import org.ankisync.core.framing.NonClosingInputStream;
import org.ankisync.core.framing.ReplyFramer;
import org.ankisync.core.framing.SyncRequest;
import org.ankisync.core.framing.V11Framing;
import org.ankisync.core.history.Snapshots;
import org.ankisync.core.http.Failures;
import org.ankisync.core.http.HttpResponseSink;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.MediaMethod;
import org.ankisync.core.http.Route;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncException;
import org.ankisync.core.http.SyncMethod;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.http.TrustedProxies;
import org.ankisync.core.http.WouldWaitException;
import org.ankisync.core.media.MediaSync;
import org.ankisync.core.ops.MetricsAccess;
import org.ankisync.core.ops.ObservedExchange;
import org.ankisync.core.ops.Readiness;
import org.ankisync.core.ops.RequestContext;
import org.ankisync.core.ops.SyncObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole sync protocol behind one call: an adapter turns each HTTP request
 * into a {@link SyncCall}, calls {@link #handle}, and copies the
 * {@link SyncReply} back. Framing, routing, authentication, status codes and
 * limits all live here, so every adapter behaves the same.
 *
 * <pre>{@code
 * SyncServer server = SyncServer.builder(config)
 *         .users(userStore)
 *         .hostKeys(hostKeys)
 *         .build();
 * SyncReply reply = server.handle(call);
 * }</pre>
 */
public final class SyncServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);

    /** Rejects trailing garbage after the JSON value, as the official server's parser does. */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Login login;
    private final TrustedProxies proxies;
    private final MediaSync media;
    private final long maxUncompressedBytes;
    private final V11Framing v11;
    private final LegacyFraming legacy;
    private final UserCollections collections;
    private final CollectionSyncService collectionSync;
    private final AutomaticSnapshots automaticSnapshots;
    private final List<AutoCloseable> resources;
    private final SyncObserver observer;
    private final Readiness readiness;
    private final MetricsAccess metrics;
    private final SyncActivity activity;
    private final PlacementGate placement;
    private final boolean quickStepsWithoutWaiting;

    /**
     * The collection-sync steps an event-loop thread may answer: each does bounded
     * work on the user's local collection and replies with little. Not among them:
     * {@code hostKey} (a password hash), {@code chunk} (its reply is as large as the
     * data), {@code finish} (its commit waits for the disk), {@code abort} and the
     * full syncs; media neither.
     */
    private static final Set<SyncMethod> QUICK_STEPS = EnumSet.of(
            SyncMethod.META,
            SyncMethod.START,
            SyncMethod.APPLY_GRAVES,
            SyncMethod.APPLY_CHANGES,
            SyncMethod.APPLY_CHUNK,
            SyncMethod.SANITY_CHECK);

    private SyncServer(Builder builder) {
        this.login = new Login(
                Objects.requireNonNull(builder.users, "users"),
                Objects.requireNonNull(builder.hostKeys, "hostKeys"),
                builder.throttle,
                builder.observer,
                builder.activity);
        this.media = builder.media;
        ServerConfig config = builder.config;
        this.proxies = config.auth().trustedProxies();
        this.maxUncompressedBytes = config.maxUncompressedBytes();
        this.v11 = new V11Framing(json, config.maxUncompressedBytes());
        this.legacy =
                new LegacyFraming(json, config.maxPayloadMegabytes() * 1024L * 1024L, config.maxUncompressedBytes());
        this.collections = new UserCollections(config.collectionsPath());
        this.automaticSnapshots = new AutomaticSnapshots(new Snapshots(config.history(), builder.historyClock));
        this.observer = builder.observer;
        this.collectionSync = new CollectionSyncService(
                json, builder.clock, media, config.maxUncompressedBytes(), automaticSnapshots, observer);
        this.resources = List.copyOf(builder.resources);
        this.readiness = builder.readiness != null
                ? builder.readiness
                : new Readiness(config.collectionsPath(), 0, Readiness.FreeSpace.FILE_STORE, () -> true);
        this.metrics = builder.metrics;
        this.activity = builder.activity;
        this.placement = builder.placement;
        this.quickStepsWithoutWaiting = builder.quickStepsWithoutWaiting;
    }

    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /**
     * Handles one request. Never throws (but {@link WouldWaitException} for a
     * call that may not wait): every failure becomes a reply with a
     * status. The caller writes the reply's body and then must call
     * {@link SyncReply#complete()} (also when writing fails), which releases
     * what a streamed reply holds.
     */
    public SyncReply handle(SyncCall peerCall) {
        return handle(peerCall, RequestContext.anonymous());
    }

    /**
     * Handles one request and notes in {@code context} what the access log and
     * metrics need (route, user, client version); error replies carry the
     * context's request id.
     */
    public SyncReply handle(SyncCall peerCall, RequestContext context) {
        SyncCall call = proxies.resolve(peerCall);
        context.address(call.remoteAddress());
        Route route;
        try {
            Optional<Route> parsed = Route.parse(call.path());
            refuseIfItMayNotWait(call, parsed.orElse(null));
            if (parsed.isEmpty()) {
                return error(context, HttpStatus.NOT_FOUND, "not found: /" + abbreviate(call.path()));
            }
            route = parsed.get();
        } catch (SyncException e) {
            refuseIfItMayNotWait(call, null);
            return failure(call, context, e);
        }
        context.route(route.label());
        if (!route.allows(call.httpMethod())) {
            return error(
                    context, HttpStatus.METHOD_NOT_ALLOWED, call.httpMethod() + " is not allowed on /" + call.path());
        }
        switch (route.area()) {
            case HEALTH:
                return SyncReply.emptyOk();
            case READY:
                return ready();
            case METRICS:
                return metrics.answer(peerCall, call, proxies);
            case SYNC:
            case MEDIA:
                break;
        }
        try {
            return dispatch(route, call, context);
        } catch (WouldWaitException e) {
            throw e; // not a failure: the adapter answers again where it may wait
        } catch (IOException | SQLException | RuntimeException e) {
            return failure(call, context, e);
        }
    }

    /**
     * Whether an adapter may answer {@code call} on a thread that must not wait
     * (an event loop), passing it with {@link SyncCall#mayWait()} false: when the
     * builder allowed it ({@link Builder#quickStepsWithoutWaiting}), for the steps
     * of a normal sync whose work is bounded and local ({@code meta}, {@code start},
     * {@code applyGraves}, {@code applyChanges}, {@code applyChunk},
     * {@code sanityCheck2}). Such a call throws {@link WouldWaitException} instead
     * of waiting for the user's lock; the adapter then answers it on a thread that may.
     */
    public boolean answersWithoutWaiting(SyncCall call) {
        if (!quickStepsWithoutWaiting) {
            return false;
        }
        try {
            return answersWithoutWaiting(Route.parse(call.path()).orElse(null), call.httpMethod());
        } catch (SyncException e) {
            return false;
        }
    }

    /** {@link #answersWithoutWaiting(SyncCall)} for a parsed route (null: none). */
    private boolean answersWithoutWaiting(Route route, String httpMethod) {
        return quickStepsWithoutWaiting
                && route != null
                && route.area() == Route.Area.SYNC
                && QUICK_STEPS.contains(route.sync())
                && route.allows(httpMethod);
    }

    /** Before any work: a call that may not wait gets no further than this unless it is a quick step. */
    private void refuseIfItMayNotWait(SyncCall call, Route route) {
        if (!call.mayWait() && !answersWithoutWaiting(route, call.httpMethod())) {
            throw new WouldWaitException("/" + call.path() + " is answered where it may wait");
        }
    }

    /**
     * Handles one request and writes the reply through {@code response}, with a
     * request id header, one access log line and the observer told: what
     * adapters call.
     */
    public void serve(SyncCall call, HttpResponseSink response) throws java.io.IOException {
        ObservedExchange.serve(this, call, response, observer);
    }

    /** 200 {@code {"ready":true}}, or 503 naming what failed. */
    private SyncReply ready() {
        List<String> problems = readiness.problems();
        var body = JsonNodeFactory.instance.objectNode().put("ready", problems.isEmpty());
        if (!problems.isEmpty()) {
            var failed = body.putArray("failed");
            problems.forEach(failed::add);
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        // anki-original-size as on every v11 reply: `doctor` checks here that a proxy lets it through.
        return SyncReply.of(
                problems.isEmpty() ? 200 : 503,
                java.util.Map.of(
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        Integer.toString(bytes.length),
                        "Cache-Control",
                        "no-store",
                        V11Framing.ORIGINAL_SIZE,
                        Integer.toString(bytes.length)),
                out -> out.write(bytes));
    }

    private SyncReply dispatch(Route route, SyncCall call, RequestContext context) throws IOException, SQLException {
        SyncRequest request = ClientBody.guard(decode(route, call));
        try {
            context.clientVersion(request.clientVersion());
            if (route.sync() == SyncMethod.HOST_KEY) {
                return hostKey(request, call, context);
            }
            String username = login.authenticate(request.hostKey(), request.clientVersion(), call.remoteAddress());
            context.user(username);
            // Several nodes: a user served elsewhere is redirected (meta) or refused before any work.
            Optional<SyncReply> elsewhere =
                    placement.enter(username, route.area() == Route.Area.SYNC && route.sync() == SyncMethod.META);
            if (elsewhere.isPresent()) {
                return elsewhere.get();
            }
            try {
                return dispatchHere(route, request, call, username);
            } finally {
                placement.leave(username);
            }
        } finally {
            // Frees the decoder's native memory (a zstd context, a gzip inflater) now
            // rather than at some finalizer's pace; the body itself stays open.
            closeQuietly(request.payload());
        }
    }

    private SyncReply dispatchHere(Route route, SyncRequest request, SyncCall call, String username)
            throws IOException, SQLException {
        UserCollection user = collections.of(username);
        if (route.area() == Route.Area.MEDIA) {
            collectionSync.otherRequest(user);
            return media.handle(route.media(), username, request, framerFor(request));
        }
        SyncReply reply = collectionSync.handle(
                route.sync(), user, request, framerFor(request), call.remoteAddress(), call.mayWait());
        if (route.sync() == SyncMethod.META && reply.status() == HttpStatus.OK) {
            activity.syncStarted(username, request.clientVersion(), call.remoteAddress());
        }
        return reply;
    }

    private static void closeQuietly(InputStream payload) {
        try {
            payload.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a request payload: {}", e.toString());
        }
    }

    /** v11 when the {@code anki-sync} header is present, else the legacy multipart form (http.md 4). */
    private SyncRequest decode(Route route, SyncCall call) {
        Optional<String> header = call.header(V11Framing.HEADER);
        if (header.isPresent()) {
            return v11.decode(header.get(), new NonClosingInputStream(call.body()));
        }
        boolean mediaBegin = route.media() == MediaMethod.BEGIN;
        if (mediaBegin && call.httpMethod().equals("GET")) {
            String k = call.queryParameter("k").orElse(null);
            String v = call.queryParameter("v").orElse(null);
            if (k == null || v == null) {
                throw SyncException.badRequest("msync/begin: query parameters k and v are required");
            }
            return legacy.mediaBeginQuery(k, v);
        }
        if (call.httpMethod().equals("GET")) {
            throw SyncException.badRequest("GET needs the anki-sync header");
        }
        return legacy.decode(
                call.header("Content-Type").orElse(null), new NonClosingInputStream(call.body()), mediaBegin);
    }

    /** Replies in the framing of the request: zstd for v11, raw for legacy. */
    private ReplyFramer framerFor(SyncRequest request) {
        return new ReplyFramer() {
            @Override
            public SyncReply bytes(byte[] payload) {
                return request.legacy() ? legacy.encode(payload) : v11.encode(payload);
            }

            @Override
            public SyncReply stream(long size, SyncReply.Body body) {
                return request.legacy() ? legacy.encode(size, body) : v11.encode(size, body);
            }
        };
    }

    /** {@code hostKey}: the new key, or the 403 of a refused login (no request id: the client shows it as is). */
    private SyncReply hostKey(SyncRequest request, SyncCall call, RequestContext context) throws IOException {
        JsonNode body = JsonArgs.readObject(request, json, maxUncompressedBytes);
        Optional<String> key = login.hostKey(body, request.clientVersion(), call, context);
        return key.isPresent()
                ? jsonReply(request, JsonNodeFactory.instance.objectNode().put("key", key.get()))
                : Login.refusal();
    }

    private SyncReply jsonReply(SyncRequest request, Object value) throws IOException {
        return framerFor(request).bytes(json.writeValueAsBytes(value));
    }

    /** The error boundary: the failure's status chosen once ({@link Failures}), logged, told, answered. */
    private SyncReply failure(SyncCall call, RequestContext context, Exception failure) {
        SyncException e = Failures.classify(failure);
        activity.requestFailed(call.remoteAddress(), abbreviate(call.path()), e.status(), e.getMessage());
        if (Failures.isInternal(e)) {
            LOG.error(
                    "{} /{} from {}: {} {} (request id {})",
                    call.httpMethod(),
                    call.path(),
                    call.remoteAddress(),
                    e.status(),
                    e.getMessage(),
                    context.requestId(),
                    failure);
        } else {
            LOG.info(
                    "{} /{} from {}: {} {} (request id {})",
                    call.httpMethod(),
                    call.path(),
                    call.remoteAddress(),
                    e.status(),
                    e.getMessage(),
                    context.requestId());
        }
        return error(context, e.status(), e.getMessage() == null ? Integer.toString(e.status()) : e.getMessage());
    }

    /**
     * An error reply; with the request id appended, so that what a client shows
     * (or a user's screenshot of it) leads to the log lines of that request.
     */
    private static SyncReply error(RequestContext context, int status, String message) {
        return SyncReply.text(
                status, context.requestId() == null ? message : message + " (request id " + context.requestId() + ")");
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Normal syncs running now (for the open-sessions gauge). */
    public int openSessions() {
        return collections.openSessions();
    }

    /** {@code /ready} answers 503 from now on: the first step of a graceful shutdown. */
    public void beginShutdown() {
        readiness.shuttingDown();
    }

    /** Rolls back every running sync session, then closes what was handed to {@link Builder#closeWith}. */
    @Override
    public void close() {
        close(Long.MAX_VALUE);
    }

    /**
     * As {@link #close()}, waiting at most {@code waitMillis} for requests that
     * still hold a user's lock (a graceful shutdown past its deadline).
     */
    public void close(long waitMillis) {
        readiness.shuttingDown();
        automaticSnapshots.close();
        collections.abortAll(waitMillis);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource, e);
            }
        }
    }

    /** Assembles a {@link SyncServer}. */
    public static final class Builder {
        private final ServerConfig config;
        private UserStore users;
        private HostKeys hostKeys;
        private MediaSync media = MediaSync.NONE;
        private LoginThrottle throttle = LoginThrottle.NONE;
        private Clock clock = Clock.systemDefaultZone();
        private Clock historyClock = Clock.systemUTC();
        private final List<AutoCloseable> resources = new ArrayList<>();
        private SyncObserver observer = SyncObserver.NONE;
        private Readiness readiness;
        private MetricsAccess metrics = MetricsAccess.OFF;
        private SyncActivity activity = SyncActivity.NONE;
        private PlacementGate placement = new PlacementGate(UserPlacement.SINGLE_NODE);
        private boolean quickStepsWithoutWaiting;

        private Builder(ServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Who may log in. Required. */
        public Builder users(UserStore userStore) {
            this.users = userStore;
            return this;
        }

        /** How host keys are issued and checked. Required. */
        public Builder hostKeys(HostKeys keys) {
            this.hostKeys = keys;
            return this;
        }

        /** Login throttling; without it every login attempt is checked. */
        public Builder loginThrottle(LoginThrottle loginThrottle) {
            this.throttle = Objects.requireNonNull(loginThrottle, "loginThrottle");
            return this;
        }

        /** Media sync; without it {@code /msync} answers 404 and {@code media_usn} is 0. */
        public Builder media(MediaSync mediaSync) {
            this.media = Objects.requireNonNull(mediaSync, "media");
            return this;
        }

        /** The time source (tests pin it). */
        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /** Who is told about syncs and failures (the admin pages, metrics); without it nobody. */
        public Builder activity(SyncActivity syncActivity) {
            this.activity = Objects.requireNonNull(syncActivity, "activity");
            return this;
        }

        /**
         * The time source of snapshots alone (their IDs, the daily one, retention): tests move it
         * by days while the protocol's clock stays right, as clients refuse a server whose clock is off.
         */
        public Builder historyClock(Clock newClock) {
            this.historyClock = Objects.requireNonNull(newClock, "historyClock");
            return this;
        }

        /** Hears requests, logins, sync outcomes, lock waits and media moves (metrics). */
        public Builder observer(SyncObserver syncObserver) {
            this.observer = Objects.requireNonNull(syncObserver, "observer");
            return this;
        }

        /** What {@code /ready} checks; without it only a shutdown makes it fail. */
        public Builder readiness(Readiness checks) {
            this.readiness = Objects.requireNonNull(checks, "readiness");
            return this;
        }

        /** {@code /metrics} and who may read it; without it {@code /metrics} answers 404. */
        public Builder metrics(MetricsAccess access) {
            this.metrics = Objects.requireNonNull(access, "metrics");
            return this;
        }

        /** Which node serves each user (several nodes); without it every user is served here. */
        public Builder placement(PlacementGate gate) {
            this.placement = Objects.requireNonNull(gate, "placement");
            return this;
        }

        /**
         * Lets adapters answer the quick steps of a normal sync on event-loop threads
         * ({@link SyncServer#answersWithoutWaiting}); off unless set. Turn it on only
         * when nothing on those steps' path waits for the network: accounts and host
         * keys in local files (SQLite, JSON, the environment) and a single node.
         */
        public Builder quickStepsWithoutWaiting(boolean allowed) {
            this.quickStepsWithoutWaiting = allowed;
            return this;
        }

        /** Something the server's {@link SyncServer#close()} closes too (an account database, say). */
        public Builder closeWith(AutoCloseable resource) {
            resources.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        public SyncServer build() {
            return new SyncServer(this);
        }
    }
}
