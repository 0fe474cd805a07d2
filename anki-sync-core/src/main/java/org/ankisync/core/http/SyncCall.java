package org.ankisync.core.http;

import java.io.InputStream;
import java.util.Optional;

/**
 * One HTTP request as an adapter hands it to the protocol: everything the sync
 * protocol needs and nothing that ties it to a particular HTTP server.
 */
public interface SyncCall {

    /** The HTTP method, upper case ({@code POST}, {@code GET}). */
    String httpMethod();

    /**
     * The path below the sync base, without a leading slash: {@code sync/meta},
     * {@code msync/begin}, {@code health}. Adapters strip their own context path.
     */
    String path();

    /** A request header by case-insensitive name. */
    Optional<String> header(String name);

    /** A query-string parameter (only {@code GET msync/begin} uses them). */
    Optional<String> queryParameter(String name);

    /** The client address, as the adapter determined it (used for logging and throttling). */
    String remoteAddress();

    /** The raw request body. Read at most once; may be chunked with no known length. */
    InputStream body();
}
