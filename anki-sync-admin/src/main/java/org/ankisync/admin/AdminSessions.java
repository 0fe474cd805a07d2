package org.ankisync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Logged-in admin sessions, in memory (a restart logs the admin out). Each has
 * a random id (the cookie) and its own random CSRF token, which every form and
 * every state-changing JSON call must carry. Sessions end after
 * {@link #IDLE} without use or {@link #ABSOLUTE} after login; at most
 * {@link #MAX_SESSIONS} exist, the oldest going first.
 */
public final class AdminSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    static final int MAX_SESSIONS = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    /** Insertion order = login order, so the eldest is evicted first. */
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public AdminSessions(Clock clock) {
        this.clock = clock;
    }

    /** One logged-in browser or script. */
    public static final class Session {
        private final String id;
        private final String csrf;
        private final long created;
        private long lastSeen;

        private Session(String id, String csrf, long now) {
            this.id = id;
            this.csrf = csrf;
            this.created = now;
            this.lastSeen = now;
        }

        public String id() {
            return id;
        }

        public String csrfToken() {
            return csrf;
        }

        /** Constant-time comparison with a submitted token. */
        public boolean csrfMatches(String submitted) {
            return submitted != null
                    && MessageDigest.isEqual(
                            csrf.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Starts a session after a successful login. */
    public synchronized Session create() {
        long now = clock.millis();
        sweep(now);
        while (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        Session session = new Session(random(), random(), now);
        sessions.put(session.id, session);
        return session;
    }

    /** The live session of a cookie value, refreshing its idle time. */
    public synchronized Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    public synchronized void end(Session session) {
        sessions.remove(session.id);
    }

    /** Logs every session out (the admin password changed, say). */
    public synchronized void endAll() {
        sessions.clear();
    }

    private void sweep(long now) {
        sessions.values().removeIf(s -> expired(s, now));
    }

    private static boolean expired(Session s, long now) {
        return now - s.lastSeen >= IDLE.toMillis() || now - s.created >= ABSOLUTE.toMillis();
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** 256 random bits as hex: session ids, CSRF tokens, login-form tokens. */
    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
