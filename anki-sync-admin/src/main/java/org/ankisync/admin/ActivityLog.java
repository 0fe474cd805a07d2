package org.ankisync.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ankisync.core.activity.SyncActivity;

/**
 * What the admin pages show about recent activity, kept in memory and bounded:
 * each user's last sync (time, client version, address), the counts of syncs
 * and errors of the current UTC day, and a ring buffer of the latest failed
 * requests and logins. A restart forgets it; devices' first and last use
 * survive in the account database instead (host keys).
 */
public final class ActivityLog implements SyncActivity {
    /** How many failures the log page can show. */
    public static final int CAPACITY = 500;

    private static final int MAX_TEXT = 200;

    private final Clock clock;
    private final Instant started;
    private final Map<String, LastSync> lastSyncs = new ConcurrentHashMap<>();
    private final Deque<Event> events = new ArrayDeque<>();
    private LocalDate day;
    private long syncsToday;
    private long errorsToday;

    public ActivityLog(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
        this.day = utcDay();
    }

    /** One user's latest sync as the server saw it start. */
    public record LastSync(Instant at, String clientVersion, String address) {}

    /** One failure: {@code kind} is {@code sync} (a failed sync request), {@code login} or {@code admin-login}. */
    public record Event(Instant at, String kind, String user, String address, String detail) {}

    /** Counts of the current UTC day (since the server started, if that was today). */
    public record Today(long syncs, long errors) {}

    @Override
    public void syncStarted(String user, String clientVersion, String address) {
        lastSyncs.put(user, new LastSync(clock.instant(), cut(clientVersion), cut(address)));
        synchronized (this) {
            rollDay();
            syncsToday++;
        }
    }

    @Override
    public void requestFailed(String address, String path, int status, String message) {
        add(new Event(clock.instant(), "sync", null, cut(address), status + " /" + cut(path) + ": " + cut(message)));
    }

    @Override
    public void loginFailed(String user, String address, String reason) {
        add(new Event(clock.instant(), "login", cut(user), cut(address), cut(reason)));
    }

    /** A refused login to the admin area itself. */
    public void adminLoginFailed(String address, String reason) {
        add(new Event(clock.instant(), "admin-login", null, cut(address), cut(reason)));
    }

    public Optional<LastSync> lastSync(String user) {
        return Optional.ofNullable(lastSyncs.get(user));
    }

    /** Forgets a removed user. */
    public void forget(String user) {
        lastSyncs.remove(user);
    }

    public synchronized Today today() {
        rollDay();
        return new Today(syncsToday, errorsToday);
    }

    /** The kept failures, newest first. */
    public synchronized List<Event> recent() {
        List<Event> list = new ArrayList<>(events);
        Collections.reverse(list);
        return list;
    }

    public Instant started() {
        return started;
    }

    public Clock clock() {
        return clock;
    }

    private synchronized void add(Event event) {
        rollDay();
        errorsToday++;
        events.addLast(event);
        while (events.size() > CAPACITY) {
            events.removeFirst();
        }
    }

    private void rollDay() {
        LocalDate now = utcDay();
        if (!now.equals(day)) {
            day = now;
            syncsToday = 0;
            errorsToday = 0;
        }
    }

    private LocalDate utcDay() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String cut(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
