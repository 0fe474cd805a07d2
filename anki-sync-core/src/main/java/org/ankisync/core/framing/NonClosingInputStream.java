package org.ankisync.core.framing;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * Passes reads through and ignores {@code close()}: the request's decoders
 * (zstd, gzip, multipart) are closed after every request to free their native
 * memory at once, while the adapter's body stream stays the adapter's to end.
 */
public final class NonClosingInputStream extends FilterInputStream {
    public NonClosingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // the adapter owns the underlying stream
    }
}
