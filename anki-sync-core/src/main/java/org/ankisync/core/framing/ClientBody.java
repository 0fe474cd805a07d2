package org.ankisync.core.framing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.ankisync.core.framing.LimitedInputStream.PayloadTooLargeException;

/**
 * A request body whose read failures are the client's: broken zstd or gzip, a
 * truncated or cut-off body surface as {@link ClientBodyException} (a 400),
 * not as the 500 of a failing disk or database; going past the size limit
 * stays a {@link PayloadTooLargeException} (a 413). The server wraps every
 * decoded request this way, so the collection and media sync read alike.
 */
public final class ClientBody extends FilterInputStream {

    private ClientBody(InputStream in) {
        super(in);
    }

    /** The request with its payload wrapped. */
    public static SyncRequest guard(SyncRequest request) {
        if (request.payload() instanceof ClientBody) {
            return request;
        }
        return new SyncRequest(
                request.protocolVersion(),
                request.hostKey(),
                request.sessionKey(),
                request.clientVersion(),
                request.legacy(),
                new ClientBody(request.payload()));
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw classify(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw classify(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw classify(e);
        }
    }

    private static IOException classify(IOException e) {
        if (e instanceof PayloadTooLargeException || e instanceof ClientBodyException) {
            return e;
        }
        return new ClientBodyException(e);
    }

    /** The request body could not be read or decoded: the client's fault. */
    public static final class ClientBodyException extends IOException {
        private static final long serialVersionUID = 1L;

        ClientBodyException(IOException cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
        }
    }
}
