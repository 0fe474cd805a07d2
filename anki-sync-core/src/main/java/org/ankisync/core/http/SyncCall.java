package org.ankisync.core.http;

import java.io.InputStream;
import java.util.List;
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

    /**
     * Every value of a request header, in order (for {@code X-Forwarded-For},
     * which proxies may send as several lines). Adapters should override this;
     * the default returns only the first value.
     */
    default List<String> headers(String name) {
        return header(name).map(List::of).orElse(List.of());
    }

    /** A query-string parameter (only {@code GET msync/begin} uses them). */
    Optional<String> queryParameter(String name);

    /**
     * The socket peer's address, as the adapter sees it. {@code SyncServer}
     * replaces it with the forwarded client address when the peer is a trusted
     * proxy; the result is used for logging, throttling and key records.
     */
    String remoteAddress();

    /** The raw request body. Read at most once; may be chunked with no known length. */
    InputStream body();

    /**
     * Whether answering may wait for the user's lock. An adapter that answers on
     * an event-loop thread (see {@code SyncServer#answersWithoutWaiting}) says
     * no: the server then takes the lock only if it is free at once, and
     * otherwise throws {@link WouldWaitException} before it changes anything.
     */
    default boolean mayWait() {
        return true;
    }
}
