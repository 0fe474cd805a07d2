package org.ankisync.undertow;

import io.undertow.UndertowLogger;
import io.undertow.io.AsyncSenderImpl;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * A reply body kept in memory while it is small, then sent and the exchange
 * ended on the connection's I/O thread. Ending an exchange on a worker races
 * with the I/O thread: the client's next request arrives while the worker is
 * still inside Undertow's {@code exchangeComplete}, and the I/O thread spins in
 * {@code HttpReadListener.handleEvent} until the worker is done, which on a
 * busy machine can be a whole time slice. A body that grows past {@link #LIMIT}
 * (a full download, a media zip) switches to the blocking output stream and
 * is streamed from the worker as before, so memory stays bounded.
 */
final class BufferedReply extends OutputStream {
    /** Larger bodies are streamed from the worker. */
    static final int LIMIT = 64 * 1024;

    private final HttpServerExchange exchange;
    private final StreamSourceChannel request;
    private final boolean mayStream;
    private byte[] bytes = new byte[1024];
    private int size;
    private OutputStream streamed;

    /** {@code request}: the request body's channel, whose unread rest is read before the end. */
    BufferedReply(HttpServerExchange exchange, StreamSourceChannel request) {
        this(exchange, request, true);
    }

    /**
     * With {@code mayStream} false the whole body is kept however long it grows:
     * for replies written on the I/O thread, which may not block on a stream
     * (the server answers only small-replied steps there).
     */
    BufferedReply(HttpServerExchange exchange, StreamSourceChannel request, boolean mayStream) {
        this.exchange = exchange;
        this.request = request;
        this.mayStream = mayStream;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (mayStream && streamed == null && size + len > LIMIT) {
            exchange.startBlocking();
            streamed = exchange.getOutputStream();
            streamed.write(bytes, 0, size);
            bytes = null;
        }
        if (streamed != null) {
            streamed.write(b, off, len);
            return;
        }
        if (size + len > bytes.length) {
            int limit = mayStream ? LIMIT : Integer.MAX_VALUE - 8;
            bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(size + len, bytes.length * 2)));
        }
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    @Override
    public void flush() throws IOException {
        if (streamed != null) {
            streamed.flush();
        }
    }

    /** Leaves the body as written; {@link #finish} sends it. */
    @Override
    public void close() {}

    /**
     * Ends the exchange: a streamed body is closed here, on the worker; a
     * buffered one is sent by the I/O thread (at once when called there), which
     * then ends the exchange.
     * The caller must not touch the exchange afterwards.
     */
    void finish() throws IOException {
        if (streamed != null) {
            streamed.close();
            exchange.endExchange();
            return;
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, 0, size);
        if (!exchange.getResponseHeaders().contains(Headers.CONTENT_LENGTH)
                && !exchange.getResponseHeaders().contains(Headers.TRANSFER_ENCODING)) {
            exchange.setResponseContentLength(size);
        }
        Runnable send = () -> new AsyncSenderImpl(exchange).send(body, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange sent, Sender sender) {
                endAfterTheBody(sent, request);
            }

            @Override
            public void onException(HttpServerExchange failed, Sender sender, IOException exception) {
                IoCallback.END_EXCHANGE.onException(failed, sender, exception);
            }
        });
        if (exchange.isInIoThread()) {
            send.run();
        } else {
            exchange.getIoThread().execute(send);
        }
    }

    /**
     * Ends the exchange once the request body is read. A reply can go out before
     * the body was read (a 403 to an upload without a valid key, a 413). On a
     * kept-alive connection Undertow then reads the rest itself; on one the
     * client asked to close, which nginx does for every upstream request, it
     * closes at once, the peer's unsent body meets a reset, and a proxy still
     * sending it answers 502 instead of passing our reply on. So the rest is
     * read and dropped here first, on the I/O thread, as on a kept-alive
     * connection; a stalled peer is cut off by the connection's read timeout.
     */
    private static void endAfterTheBody(HttpServerExchange exchange, StreamSourceChannel request) {
        if (exchange.isRequestComplete() || exchange.isPersistent() || request == null) {
            exchange.endExchange();
            return;
        }
        ChannelListener<StreamSourceChannel> drain = ChannelListeners.drainListener(
                Long.MAX_VALUE,
                drained -> {
                    drained.getReadSetter().set(null);
                    drained.suspendReads();
                    exchange.endExchange();
                },
                (broken, e) -> {
                    drainFailed(exchange, e);
                });
        request.getReadSetter().set(drain);
        drain.handleEvent(request);
        if (!exchange.isRequestComplete() && request.isOpen()) {
            request.resumeReads();
        }
    }

    private static void drainFailed(HttpServerExchange exchange, IOException e) {
        UndertowLogger.REQUEST_IO_LOGGER.debug("reading the rest of a refused request body", e);
        IoUtils.safeClose(exchange.getConnection());
    }
}
