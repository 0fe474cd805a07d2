package org.ankisync.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.ankisync.core.http.QueryString;
import org.ankisync.core.http.SyncCall;

/** A servlet request as the protocol sees it: the path below the servlet's mapping, headers, body stream. */
final class ServletCall implements SyncCall {
    private final HttpServletRequest request;

    ServletCall(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String httpMethod() {
        return request.getMethod();
    }

    /**
     * Below the mapping: for {@code /*} or {@code /anki/*} the path info, for the
     * default mapping {@code /} the servlet path. The context path is never part of it.
     */
    @Override
    public String path() {
        HttpServletMapping mapping = request.getHttpServletMapping();
        String path;
        if (mapping != null && mapping.getMappingMatch() == MappingMatch.DEFAULT) {
            path = request.getServletPath();
        } else {
            path = request.getPathInfo();
        }
        if (path == null) {
            return "";
        }
        return path.startsWith("/") ? path.substring(1) : path;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    /** From the raw query string: {@code getParameter} could consume a form body. */
    @Override
    public Optional<String> queryParameter(String name) {
        return QueryString.first(request.getQueryString(), name);
    }

    @Override
    public String remoteAddress() {
        String address = request.getRemoteAddr();
        return address == null ? "unknown" : address;
    }

    @Override
    public InputStream body() {
        try {
            return request.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
