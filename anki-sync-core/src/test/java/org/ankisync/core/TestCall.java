package org.ankisync.core;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import org.ankisync.core.http.SyncCall;

/**
 * A request as an adapter would hand it to {@link SyncServer#handle}, for core
 * tests: an HTTP method, a path, an optional {@code anki-sync} header and a body.
 */
record TestCall(String httpMethod, String path, String syncHeader, byte[] bytes) implements SyncCall {

    /** A v11 POST: {@code body} must already be zstd-compressed. */
    static TestCall v11(String path, String syncHeader, byte[] body) {
        return new TestCall("POST", path, syncHeader, body);
    }

    /** A request without framing (health checks, wrong methods). */
    static TestCall bare(String httpMethod, String path) {
        return new TestCall(httpMethod, path, null, new byte[0]);
    }

    @Override
    public Optional<String> header(String name) {
        return name.equalsIgnoreCase("anki-sync") ? Optional.ofNullable(syncHeader) : Optional.empty();
    }

    @Override
    public Optional<String> queryParameter(String name) {
        return Optional.empty();
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1";
    }

    @Override
    public InputStream body() {
        return new ByteArrayInputStream(bytes);
    }
}
