package org.ankisync.core.framing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through until a limit, then fails with {@link PayloadTooLargeException}
 * instead of silently truncating (the official server truncates, which turns an
 * oversized request into a confusing parse error).
 */
public final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    public LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            account(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            account(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        account(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void account(long n) throws PayloadTooLargeException {
        count += n;
        if (count > limit) {
            throw new PayloadTooLargeException(limit);
        }
    }

    /** Thrown once more than the limit has been read. */
    public static final class PayloadTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        private final long limit;

        public PayloadTooLargeException(long limit) {
            super("request body exceeds the limit of " + limit + " bytes (ANKISYNCD_MAX_UPLOAD_MB)");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
