package org.ankisync.core.framing;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A streaming zstd decoder over a reused native context. {@code
 * ZstdInputStream} creates (and allocates the window of) a new decoder for
 * every stream, which was a sixteenth of a small sync's request CPU; here a
 * few idle contexts are kept and reset between requests, each with its input
 * buffer (allocating and zeroing 16 KiB per request was 1% of it). Reads as
 * {@code ZstdInputStream} does: frames one after another, the end of input
 * between frames is the end of the stream, an end inside a frame or bytes that
 * are not zstd are an {@link IOException}. {@link #close} gives the context
 * back and closes the source.
 */
final class ReusedZstdInputStream extends InputStream {
    private static final int INPUT_BYTES = 16 * 1024;
    private static final ArrayBlockingQueue<Decoder> IDLE = new ArrayBlockingQueue<>(4);

    /** A native context and the input buffer that goes with it. */
    private record Decoder(ZstdDecompressCtx context, byte[] input) {}

    private final InputStream source;
    private final Decoder decoder;
    private final ByteBuffer input;
    private ZstdDecompressCtx context;
    /** A frame has begun and not yet ended. */
    private boolean inFrame;

    ReusedZstdInputStream(InputStream source) {
        this.source = source;
        Decoder idle = IDLE.poll();
        this.decoder = idle != null ? idle : new Decoder(new ZstdDecompressCtx(), new byte[INPUT_BYTES]);
        this.context = decoder.context();
        this.input = ByteBuffer.wrap(decoder.input()).limit(0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (context == null) {
            throw new IOException("zstd stream closed");
        }
        if (len == 0) {
            return 0;
        }
        ByteBuffer out = ByteBuffer.wrap(b, off, len);
        while (true) {
            if (!input.hasRemaining() && !fill()) {
                if (inFrame) {
                    throw new IOException("truncated zstd frame");
                }
                return -1;
            }
            boolean frameDone;
            try {
                frameDone = context.decompressByteBufferStream(out, input);
            } catch (ZstdException e) {
                throw new IOException(e.getMessage(), e);
            }
            inFrame = !frameDone;
            int produced = out.position() - off;
            if (produced > 0) {
                return produced;
            }
        }
    }

    /** Refills the input from the source; false at its end. */
    private boolean fill() throws IOException {
        int n;
        do {
            n = source.read(input.array(), 0, input.capacity());
        } while (n == 0);
        if (n < 0) {
            input.limit(0);
            return false;
        }
        input.position(0).limit(n);
        return true;
    }

    @Override
    public void close() throws IOException {
        ZstdDecompressCtx used = context;
        context = null;
        if (used != null) {
            used.reset();
            if (!IDLE.offer(decoder)) {
                used.close();
            }
        }
        source.close();
    }
}
