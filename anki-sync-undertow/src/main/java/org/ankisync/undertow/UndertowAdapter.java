package org.ankisync.undertow;

import io.undertow.UndertowLogger;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ankisync.core.SyncServer;
import org.ankisync.core.http.HttpResponseSink;
import org.ankisync.core.http.ReplyWriter;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.xnio.IoUtils;

/**
 * Copies each Undertow exchange into a {@link SyncCall} and the reply back
 * ({@link SyncServer#serve}, which also logs and counts it). The request body
 * is read on the I/O thread as it arrives ({@link EarlyBody}: whole if small,
 * else its start and then the rest streamed), the call is answered on a worker,
 * and a small reply is sent and the exchange ended on the I/O thread again
 * ({@link BufferedReply}; large ones stream from the worker).
 * An application with its own Undertow mounts it under any prefix, e.g.
 * {@code Handlers.path().addPrefixPath("/anki", new UndertowAdapter(sync))}: the path
 * below the prefix is what the protocol sees.
 */
public final class UndertowAdapter implements HttpHandler {
    /** What answers a call and writes the reply. */
    @FunctionalInterface
    private interface Responder {
        void respond(SyncCall call, HttpResponseSink response) throws IOException;
    }

    private final Responder server;

    public UndertowAdapter(SyncServer server) {
        this.server = server::serve;
    }

    /** Any HTTP-neutral handler of the same shape (the admin area's, say); its reply goes out as is. */
    public UndertowAdapter(Function<SyncCall, SyncReply> handler) {
        this.server = (call, response) -> ReplyWriter.write(handler.apply(call), call.httpMethod(), response);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.isInIoThread()) {
            // Already on a worker (an application that dispatched itself): all blocking.
            exchange.startBlocking();
            server.respond(
                    new ExchangeCall(exchange, exchange.getInputStream()), sink(exchange, exchange.getOutputStream()));
            exchange.endExchange();
            return;
        }
        // The body is read here as it arrives, the protocol work runs on a worker (it blocks on
        // SQLite and locks), and a small reply goes back out on this thread.
        EarlyBody.read(exchange, (body, channel) -> {
            try {
                BufferedReply reply = new BufferedReply(exchange, channel);
                server.respond(new ExchangeCall(exchange, body), sink(exchange, reply));
                reply.finish();
            } catch (IOException | RuntimeException e) {
                UndertowLogger.REQUEST_IO_LOGGER.ioException(e instanceof IOException io ? io : new IOException(e));
                IoUtils.safeClose(exchange.getConnection());
            }
        });
    }

    private static HttpResponseSink sink(HttpServerExchange exchange, OutputStream body) {
        return new HttpResponseSink() {
            @Override
            public void status(int status) {
                exchange.setStatusCode(status);
            }

            @Override
            public void header(String name, String value) {
                exchange.getResponseHeaders().put(HttpString.tryFromString(name), value);
            }

            @Override
            public OutputStream body() {
                return body;
            }
        };
    }

    private static final class ExchangeCall implements SyncCall {
        private final HttpServerExchange exchange;
        private final InputStream body;

        ExchangeCall(HttpServerExchange exchange, InputStream body) {
            this.exchange = exchange;
            this.body = body;
        }

        @Override
        public String httpMethod() {
            return exchange.getRequestMethod().toString();
        }

        @Override
        public String path() {
            String path = exchange.getRelativePath();
            return path.startsWith("/") ? path.substring(1) : path;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
        }

        @Override
        public List<String> headers(String name) {
            HeaderValues values = exchange.getRequestHeaders().get(name);
            return values == null ? List.of() : List.copyOf(values);
        }

        @Override
        public Optional<String> queryParameter(String name) {
            Deque<String> values = exchange.getQueryParameters().get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        @Override
        public String remoteAddress() {
            InetSocketAddress peer = exchange.getSourceAddress();
            return peer == null || peer.getAddress() == null
                    ? "unknown"
                    : peer.getAddress().getHostAddress();
        }

        @Override
        public InputStream body() {
            return body;
        }
    }
}
