package org.ankisync.core.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncReply;

/**
 * Lets a user's authenticated requests through only on the node that serves
 * the user. {@code meta} for a user served elsewhere gets the protocol's own
 * {@code 308 Permanent Redirect} to that node (the client retries {@code meta}
 * there and keeps the new endpoint); any other method gets a retryable 503,
 * because the client treats a 308 anywhere but {@code meta} as an error
 * (its media sync after a redirect still goes to the old endpoint once).
 *
 * <p>It also counts each user's running requests here, so that moving a user
 * can {@link #hold} them: new requests are refused (503, retryable) and the
 * hold waits until the running ones ended, after which the user's files do not
 * change until the hold is released.
 */
public final class PlacementGate {
    private final UserPlacement placement;
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();

    public PlacementGate(UserPlacement placement) {
        this.placement = placement;
    }

    /**
     * Admits one request of {@code username}, or answers instead of it. After an
     * empty answer the caller must call {@link #leave} when the request's work is done.
     */
    public Optional<SyncReply> enter(String username, boolean meta) {
        Traffic user = traffic.computeIfAbsent(username, u -> new Traffic());
        synchronized (user) {
            if (user.held) {
                return Optional.of(moving());
            }
            user.running++;
        }
        Placement where;
        try {
            where = placement.locate(username);
        } catch (RuntimeException e) {
            leave(username);
            throw e;
        }
        if (where instanceof Placement.Here) {
            return Optional.empty();
        }
        leave(username);
        if (where instanceof Placement.Elsewhere elsewhere) {
            return Optional.of(
                    meta
                            ? redirect(elsewhere.endpoint())
                            : SyncReply.text(
                                    HttpStatus.SERVICE_UNAVAILABLE,
                                    "this account is now served by " + elsewhere.endpoint() + "; please sync again"));
        }
        return Optional.of(moving());
    }

    /** The end of a request admitted by {@link #enter}. */
    public void leave(String username) {
        Traffic user = traffic.get(username);
        synchronized (user) {
            user.running--;
            user.notifyAll();
        }
    }

    /**
     * Refuses {@code username}'s new requests and waits up to {@code wait} for the
     * running ones to end. Returns a hold to release (also when the wait failed).
     *
     * @throws IllegalStateException if requests still run after {@code wait} (the hold is then released)
     */
    public Hold hold(String username, Duration wait) throws InterruptedException {
        Traffic user = traffic.computeIfAbsent(username, u -> new Traffic());
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (user) {
            if (user.held) {
                throw new IllegalStateException(username + " is already being moved");
            }
            user.held = true;
            while (user.running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    user.held = false;
                    throw new IllegalStateException(username + " still has " + user.running + " running requests after "
                            + wait.toSeconds() + " s");
                }
                user.wait(Math.max(1, left / 1_000_000));
            }
        }
        return () -> {
            synchronized (user) {
                user.held = false;
            }
        };
    }

    private static SyncReply redirect(String endpoint) {
        return SyncReply.of(
                HttpStatus.PERMANENT_REDIRECT, Map.of("Location", endpoint, "Content-Length", "0"), out -> {});
    }

    private static SyncReply moving() {
        return SyncReply.text(
                HttpStatus.SERVICE_UNAVAILABLE,
                "this account is being moved to another server; please sync again in a minute");
    }

    /** Ends a {@link #hold}. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** One user's running requests here, and whether a move holds them. */
    private static final class Traffic {
        private int running;
        private boolean held;
    }
}
