package org.ankisync.core.http;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SyncCall} that passes every method to another one: subclasses
 * override only what they change (the client address behind a proxy, a
 * counted body).
 */
public abstract class ForwardingSyncCall implements SyncCall {
    private final SyncCall delegate;

    protected ForwardingSyncCall(SyncCall delegate) {
        this.delegate = delegate;
    }

    /** The call this one passes to. */
    protected final SyncCall delegate() {
        return delegate;
    }

    @Override
    public String httpMethod() {
        return delegate.httpMethod();
    }

    @Override
    public String path() {
        return delegate.path();
    }

    @Override
    public Optional<String> header(String name) {
        return delegate.header(name);
    }

    @Override
    public List<String> headers(String name) {
        return delegate.headers(name);
    }

    @Override
    public Optional<String> queryParameter(String name) {
        return delegate.queryParameter(name);
    }

    @Override
    public String remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public InputStream body() {
        return delegate.body();
    }

    @Override
    public boolean mayWait() {
        return delegate.mayWait();
    }
}
