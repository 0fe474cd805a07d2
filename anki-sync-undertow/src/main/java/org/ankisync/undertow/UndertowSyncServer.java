package org.ankisync.undertow;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.channels.AcceptingChannel;

/**
 * The sync protocol served by an embedded Undertow: start, stop (at once or
 * gracefully), and the port it listens on (useful when the configured port is 0).
 */
public final class UndertowSyncServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UndertowSyncServer.class);
    /**
     * Blocking workers: requests of one user wait for that user's lock while
     * holding a worker, so there must be plenty.
     */
    static final int WORKER_THREADS = Math.max(64, Runtime.getRuntime().availableProcessors() * 16);
    /** After the deadline, how long closing may still wait for a user's lock before leaving it to the exit. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final SyncServer server;
    private final Undertow undertow;
    private final GracefulShutdownHandler requests;
    private final AtomicBoolean closed = new AtomicBoolean();

    public UndertowSyncServer(ServerConfig config, SyncServer server) {
        this(config, server, new UndertowAdapter(server));
    }

    /** The same, with the handler given (the sync adapter with the admin area under a path, say). */
    public UndertowSyncServer(ServerConfig config, SyncServer server, HttpHandler handler) {
        this.server = server;
        // A request or reply that stops moving is a client that has gone (or a slow-loris
        // attack holding a worker): clients themselves give up after 30-60 s without progress.
        int stallMillis = config.stallTimeoutSeconds() * 1000;
        // Counts running requests, so that a shutdown can wait for them to finish.
        this.requests = new GracefulShutdownHandler(handler);
        this.undertow = Undertow.builder()
                .addHttpListener(config.port(), config.host())
                // The client only speaks HTTP/1.1 and streams request bodies chunked.
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 10 * 60 * 1000)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, stallMillis)
                .setSocketOption(Options.READ_TIMEOUT, stallMillis)
                .setSocketOption(Options.WRITE_TIMEOUT, stallMillis)
                .setWorkerThreads(WORKER_THREADS)
                .setHandler(requests)
                .build();
    }

    public UndertowSyncServer start() {
        undertow.start();
        return this;
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * The graceful shutdown (SIGTERM): {@code /ready} turns 503, the listener
     * stops accepting connections, running requests get until
     * {@code deadline} to finish, then sessions still open are rolled back
     * and every database is closed (closing the last connection checkpoints
     * SQLite's write-ahead log into the collection file).
     *
     * @return whether every running request finished before the deadline
     */
    public boolean shutdownGracefully(Duration deadline) {
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        long start = System.nanoTime();
        server.beginShutdown();
        // From here new requests get 503 at once; then the port stops accepting connections.
        requests.shutdown();
        stopAccepting();
        boolean finished;
        try {
            finished = requests.awaitShutdown(deadline.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            LOG.warn(
                    "shutdown: requests still running after {} s; they are cut off and their syncs rolled back",
                    deadline.toSeconds());
        }
        // Cuts off what still runs (its connections close); then no request holds a lock for long.
        undertow.stop();
        server.close(CLOSE_WAIT_MILLIS);
        LOG.info(
                "stopped after {} ms{}",
                (System.nanoTime() - start) / 1_000_000,
                finished ? "" : " (deadline reached)");
        return finished;
    }

    /**
     * Stops accepting new connections and leaves the open ones alone.
     * {@code ListenerInfo.suspend()} cannot be used: it also closes every open
     * connection, which would cut off the uploads the shutdown waits for. The
     * accepting channel is not public, so it is reached by reflection; if that
     * ever fails, new connections are still accepted but answered 503.
     */
    private void stopAccepting() {
        for (Undertow.ListenerInfo listener : undertow.getListenerInfo()) {
            try {
                Field field = Undertow.ListenerInfo.class.getDeclaredField("channel");
                field.setAccessible(true);
                ((AcceptingChannel<?>) field.get(listener)).suspendAccepts();
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("cannot stop accepting connections on {}: {}", listener.getAddress(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        undertow.stop();
        server.close();
    }
}
