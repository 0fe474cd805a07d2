package org.ankisync.undertow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.ops.Warmup;

/**
 * Sends the warm-up's syncs ({@link Warmup}) over HTTP through a throwaway
 * Undertow on a free loopback port, with the same {@link UndertowAdapter} the
 * real listener uses, so that request parsing, {@link EarlyBody},
 * {@link BufferedReply} and the rest of Undertow's request path are compiled
 * before the first device arrives. The bodies are sent chunked, as the
 * official client sends them, and never through a configured HTTP proxy.
 *
 * <p>The adapter calls {@link SyncServer#serve}, as the real listener's does:
 * request ids, the access line and the server's observer (its metrics) are
 * warmed up too. The launcher keeps those access lines out of its log
 * ({@link Logging#withoutWarmupLines}).
 */
final class HttpWarmupChannel implements Warmup.Channel {
    private final UndertowSyncServer listener;
    private final String base;

    private HttpWarmupChannel(SyncServer server) {
        // The launcher's own listener class and options, on a free loopback port.
        ServerConfig loopback = ServerConfig.defaults().withPort(0);
        this.listener = new UndertowSyncServer(loopback, server, new UndertowAdapter(server)).start();
        this.base = "http://" + loopback.host() + ":" + listener.port() + "/";
    }

    /** Starts the throwaway listener for {@code server}; closing the channel stops it. */
    static HttpWarmupChannel open(SyncServer server) {
        return new HttpWarmupChannel(server);
    }

    @Override
    public Warmup.Response post(String path, String syncHeader, byte[] body) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("anki-sync", syncHeader);
        connection.setRequestProperty("Content-Type", "application/octet-stream");
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(0);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        // Read to the end and closed: the connection goes back to the JDK's keep-alive cache.
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.transferTo(reply);
            }
        }
        return new Warmup.Response(status, reply.toByteArray());
    }

    @Override
    public void close() {
        // Also closes the warm-up's server, which the warm-up closes again (a no-op then).
        listener.close();
    }
}
