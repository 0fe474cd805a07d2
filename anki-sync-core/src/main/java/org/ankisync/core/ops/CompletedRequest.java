package org.ankisync.core.ops;

/**
 * One answered request, for the access log and the request metrics.
 *
 * @param requestId     the id also sent in the {@code X-Request-Id} header and in error replies
 * @param httpMethod    {@code POST}, {@code GET}, ...
 * @param route         {@code sync/meta}, {@code msync/begin}, {@code health}, ... or {@code other}
 *                      (never the raw path, so that metric labels stay few)
 * @param user          the authenticated (or logging-in) user name; {@code -} if none
 * @param status        the HTTP status
 * @param bytesIn       request body bytes read
 * @param bytesOut      response body bytes written
 * @param elapsedNanos  from the start of handling to the last byte written
 * @param clientVersion the client's version string; {@code -} if unknown
 * @param address       the client's address (after trusted proxies)
 */
public record CompletedRequest(
        String requestId,
        String httpMethod,
        String route,
        String user,
        int status,
        long bytesIn,
        long bytesOut,
        long elapsedNanos,
        String clientVersion,
        String address) {}
