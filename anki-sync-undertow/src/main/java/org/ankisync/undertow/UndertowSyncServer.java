package org.ankisync.undertow;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import org.xnio.Options;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ServerConfig;

/**
 * The sync protocol served by an embedded Undertow: start, stop, and the port
 * it listens on (useful when the configured port is 0).
 */
public final class UndertowSyncServer implements AutoCloseable {
    /**
     * Blocking workers: requests of one user wait for that user's lock while
     * holding a worker, so there must be plenty.
     */
    static final int WORKER_THREADS = Math.max(64, Runtime.getRuntime().availableProcessors() * 16);

    private final SyncServer server;
    private final Undertow undertow;

    public UndertowSyncServer(ServerConfig config, SyncServer server) {
        this(config, server, new UndertowAdapter(server));
    }

    /** The same, with the handler given (the sync adapter with the admin area under a path, say). */
    public UndertowSyncServer(ServerConfig config, SyncServer server, HttpHandler handler) {
        this.server = server;
        // A request or reply that stops moving is a client that has gone (or a slow-loris
        // attack holding a worker): clients themselves give up after 30-60 s without progress.
        int stallMillis = config.stallTimeoutSeconds() * 1000;
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
                .setHandler(handler)
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

    @Override
    public void close() {
        undertow.stop();
        server.close();
    }
}
