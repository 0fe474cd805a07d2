package org.ankisync.core.ops;

/**
 * What the protocol learns about one request while it handles it (route, user,
 * client version), for the access line and metrics written after the reply.
 * One per request, touched by the request's thread only.
 */
public final class RequestContext {
    private final String requestId;
    private String route = "other";
    private String user = "-";
    private String clientVersion = "-";
    private String address = "-";

    public RequestContext(String requestId) {
        this.requestId = requestId;
    }

    /** A context without an id: error replies then carry no id (unit tests, direct calls). */
    public static RequestContext anonymous() {
        return new RequestContext(null);
    }

    /** The request id, or null for {@link #anonymous()}. */
    public String requestId() {
        return requestId;
    }

    public String route() {
        return route;
    }

    public void route(String newRoute) {
        this.route = newRoute;
    }

    public String user() {
        return user;
    }

    public void user(String name) {
        this.user = name;
    }

    public String clientVersion() {
        return clientVersion;
    }

    public void clientVersion(String version) {
        if (version != null && !version.isEmpty()) {
            this.clientVersion = version;
        }
    }

    public String address() {
        return address;
    }

    public void address(String newAddress) {
        this.address = newAddress;
    }
}
