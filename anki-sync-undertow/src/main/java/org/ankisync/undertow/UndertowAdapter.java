package org.ankisync.undertow;

import io.undertow.UndertowLogger;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.io.ByteArrayInputStream;
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
import org.ankisync.core.http.WouldWaitException;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * Copies each Undertow exchange into a {@link SyncCall} and the reply back
 * ({@link SyncServer#serve}, which also logs and counts it). The request body
 * is read on the I/O thread as it arrives ({@link EarlyBody}: whole if small,
 * else its start and then the rest streamed), the call is answered on a worker,
 * and a small reply is sent and the exchange ended on the I/O thread again
 * ({@link BufferedReply}; large ones stream from the worker). The quick steps
 * of a sync that {@link SyncServer#answersWithoutWaiting} names are answered on
 * the I/O thread itself, unless the user's lock is taken.
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
    /** The sync server, asked which requests it answers on the I/O thread; null for other handlers. */
    private final SyncServer sync;

    public UndertowAdapter(SyncServer server) {
        this.server = server::serve;
        this.sync = server;
    }

    /** Any HTTP-neutral handler of the same shape (the admin area's, say); its reply goes out as is. */
    public UndertowAdapter(Function<SyncCall, SyncReply> handler) {
        this.server = (call, response) -> ReplyWriter.write(handler.apply(call), call.httpMethod(), response);
        this.sync = null;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.isInIoThread()) {
            // Already on a worker (an application that dispatched itself): all blocking.
            exchange.startBlocking();
            server.respond(
                    new ExchangeCall(exchange, exchange.getInputStream(), true),
                    sink(exchange, exchange.getOutputStream()));
            exchange.endExchange();
            return;
        }
        // The body is read here as it arrives. The quick steps of a sync are then answered
        // here too, if they can be without waiting; the rest of the protocol work runs on a
        // worker (it may block on locks, the disk or the network), and a small reply goes
        // back out on this thread.
        EarlyBody.Here here =
                sync == null ? null : (bytes, size, channel) -> answeredHere(exchange, bytes, size, channel);
        EarlyBody.read(exchange, here, (body, channel) -> {
            try {
                BufferedReply reply = new BufferedReply(exchange, channel);
                server.respond(new ExchangeCall(exchange, body, true), sink(exchange, reply));
                reply.finish();
            } catch (IOException | RuntimeException e) {
                failed(exchange, e);
            }
        });
    }

    /**
     * Answers on this I/O thread a request the sync server answers without
     * waiting ({@link SyncServer#answersWithoutWaiting}): a hand-off to a worker
     * and back costs more than such a step. False when the server does not take
     * it here, or found the user's lock taken: a worker answers it then.
     */
    private boolean answeredHere(HttpServerExchange exchange, byte[] body, int size, StreamSourceChannel channel) {
        ExchangeCall call = new ExchangeCall(exchange, new ByteArrayInputStream(body, 0, size), false);
        if (!sync.answersWithoutWaiting(call)) {
            return false;
        }
        BufferedReply reply = new BufferedReply(exchange, channel, false);
        try {
            server.respond(call, sink(exchange, reply));
            reply.finish();
        } catch (WouldWaitException e) {
            return false; // nothing was written or logged yet
        } catch (IOException | RuntimeException e) {
            failed(exchange, e);
        }
        return true;
    }

    private static void failed(HttpServerExchange exchange, Exception e) {
        UndertowLogger.REQUEST_IO_LOGGER.ioException(e instanceof IOException io ? io : new IOException(e));
        IoUtils.safeClose(exchange.getConnection());
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
        private final boolean mayWait;

        ExchangeCall(HttpServerExchange exchange, InputStream body, boolean mayWait) {
            this.exchange = exchange;
            this.body = body;
            this.mayWait = mayWait;
        }

        @Override
        public boolean mayWait() {
            return mayWait;
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
