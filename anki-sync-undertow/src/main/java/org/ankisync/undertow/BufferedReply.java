package org.ankisync.undertow;

import io.undertow.io.AsyncSenderImpl;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

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
    private byte[] bytes = new byte[1024];
    private int size;
    private OutputStream streamed;

    BufferedReply(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (streamed == null && size + len > LIMIT) {
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
            bytes = Arrays.copyOf(bytes, Math.min(LIMIT, Math.max(size + len, bytes.length * 2)));
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
     * buffered one is sent by the I/O thread, which then ends the exchange.
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
        exchange.getIoThread().execute(() -> new AsyncSenderImpl(exchange).send(body));
    }
}
