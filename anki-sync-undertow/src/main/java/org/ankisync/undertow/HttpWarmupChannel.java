package org.ankisync.undertow;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import org.ankisync.core.SyncServer;
import org.ankisync.core.ops.Warmup;

/**
 * Sends the warm-up's syncs ({@link Warmup}) over HTTP through a throwaway
 * Undertow on a free loopback port, with the same {@link UndertowAdapter} the
 * real listener uses, so that request parsing, {@link EarlyBody},
 * {@link BufferedReply} and the rest of Undertow's request path are compiled
 * before the first device arrives. The bodies are sent chunked, as the
 * official client sends them, and never through a configured HTTP proxy.
 *
 * <p>The adapter calls {@link SyncServer#handle}, not {@link SyncServer#serve}:
 * the warm-up writes no access log lines and no request ids.
 */
final class HttpWarmupChannel implements Warmup.Channel {
    /** Plenty for one sequential client; the real listener sizes its own. */
    private static final int WORKER_THREADS = 2;

    private final Undertow undertow;
    private final String base;

    private HttpWarmupChannel(SyncServer server) {
        this.undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setIoThreads(1)
                .setWorkerThreads(WORKER_THREADS)
                .setHandler(new UndertowAdapter(server::handle))
                .build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        this.base = "http://127.0.0.1:" + port + "/";
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
        undertow.stop();
    }
}
