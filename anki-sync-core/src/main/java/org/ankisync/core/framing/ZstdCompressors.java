package org.ankisync.core.framing;

import com.github.luben.zstd.ZstdCompressCtx;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One-shot zstd compression with reused contexts. Creating a context for
 * every reply (what {@code Zstd.compress} does) allocated and set up its
 * native workspace each time, about a twentieth of a small sync's request
 * work. A few idle contexts are kept (zstd itself shrinks one whose workspace
 * stays oversized after a large reply); more are made when more requests
 * compress at once, and closed when the pool is full.
 */
final class ZstdCompressors {
    private static final int LEVEL = 3;
    private static final ArrayBlockingQueue<ZstdCompressCtx> IDLE = new ArrayBlockingQueue<>(4);

    private ZstdCompressors() {}

    /** {@code payload} compressed as one zstd frame that records its size. */
    static byte[] compress(byte[] payload) {
        ZstdCompressCtx ctx = IDLE.poll();
        if (ctx == null) {
            ctx = new ZstdCompressCtx().setLevel(LEVEL);
        }
        boolean reusable = false;
        try {
            byte[] compressed = ctx.compress(payload);
            reusable = true;
            return compressed;
        } finally {
            if (!reusable || !IDLE.offer(ctx)) {
                ctx.close();
            }
        }
    }
}
