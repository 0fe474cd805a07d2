package org.ankisync.undertow;

import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.streams.ChannelInputStream;

/**
 * Reads the start of a request body on the I/O thread, without blocking, then
 * hands the body to a worker. Nearly every sync request is a small JSON body
 * (sent chunked, so its size is unknown until it ends): it is then read whole
 * here, as its bytes arrive, and the worker never waits for the network. A
 * body longer than {@link #LIMIT} (a full upload, a media batch) is streamed:
 * the worker gets the bytes read so far followed by the rest of the request,
 * read blocking, as before. So at most {@code LIMIT} bytes per request are held.
 * Stalls are cut off by the connection's read timeout, as for a blocking read.
 * A body read whole may be answered here instead, on the I/O thread
 * ({@link Here}: the quick steps of a sync).
 */
final class EarlyBody implements ChannelListener<StreamSourceChannel> {
    /** Larger bodies are streamed to the worker. */
    static final int LIMIT = 64 * 1024;

    private static final int FIRST_SIZE = 4 * 1024;

    private final HttpServerExchange exchange;
    private final StreamSourceChannel channel;
    private final Here here;
    private final Handoff onWorker;
    private byte[] bytes = new byte[FIRST_SIZE];
    private int size;

    /** What runs on the worker: the body, and the request channel it is read from (to read its rest later). */
    @FunctionalInterface
    interface Handoff {
        void accept(InputStream body, StreamSourceChannel channel);
    }

    /**
     * What may answer a request whose whole body was read, here on the I/O
     * thread: true when it did, false to hand the request to a worker as usual.
     */
    @FunctionalInterface
    interface Here {
        boolean answered(byte[] body, int size, StreamSourceChannel channel);
    }

    private EarlyBody(HttpServerExchange exchange, StreamSourceChannel channel, Here here, Handoff onWorker) {
        this.exchange = exchange;
        this.channel = channel;
        this.here = here;
        this.onWorker = onWorker;
    }

    /**
     * Starts reading on the I/O thread. A request whose whole body was read is
     * first offered to {@code here} (null: to nobody), on this thread; otherwise
     * {@code onWorker} runs on a worker thread with the whole body (or its start
     * followed by the rest, streamed).
     */
    static void read(HttpServerExchange exchange, Here here, Handoff onWorker) {
        StreamSourceChannel channel = exchange.getRequestChannel();
        if (channel == null) {
            throw new IllegalStateException("the request body was already taken");
        }
        new EarlyBody(exchange, channel, here, onWorker).pump();
    }

    @Override
    public void handleEvent(StreamSourceChannel ignored) {
        pump();
    }

    private void pump() {
        try {
            while (true) {
                if (size == bytes.length) {
                    if (size >= LIMIT) {
                        hand(new SequenceInputStream(
                                new ByteArrayInputStream(bytes, 0, size), new ChannelInputStream(channel)));
                        return;
                    }
                    bytes = Arrays.copyOf(bytes, Math.min(LIMIT, size * 2));
                }
                int read = channel.read(ByteBuffer.wrap(bytes, size, bytes.length - size));
                if (read == -1) {
                    if (here != null) {
                        channel.getReadSetter().set(null);
                        channel.suspendReads();
                        if (here.answered(bytes, size, channel)) {
                            return;
                        }
                    }
                    hand(new ByteArrayInputStream(bytes, 0, size));
                    return;
                }
                if (read == 0) {
                    channel.getReadSetter().set(this);
                    channel.resumeReads();
                    return;
                }
                size += read;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or broke the framing: there is nobody to answer.
            channel.getReadSetter().set(null);
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    private void hand(InputStream body) {
        channel.getReadSetter().set(null);
        channel.suspendReads();
        exchange.dispatch(() -> onWorker.accept(body, channel));
    }
}
