package org.ankisync.undertow.admin;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.ankisync.admin.AdminHandler;
import org.ankisync.undertow.UndertowAdapter;

/**
 * The admin area in Undertow. Its pages link relatively, so the base must end
 * with a slash: {@code /admin} is redirected to {@code /admin/}.
 */
public final class AdminMount implements HttpHandler {
    private final HttpHandler adapter;

    public AdminMount(AdminHandler admin) {
        this.adapter = new UndertowAdapter(admin::handle);
    }

    /** The sync handler with the admin area under {@code path} (e.g. {@code /admin}) of the same listener. */
    public static HttpHandler underPath(HttpHandler sync, String path, AdminHandler admin) {
        return Handlers.path(sync).addPrefixPath(path, new AdminMount(admin));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getRelativePath().isEmpty()) {
            exchange.setStatusCode(308);
            exchange.getResponseHeaders().put(Headers.LOCATION, exchange.getRequestPath() + "/");
            exchange.endExchange();
            return;
        }
        adapter.handleRequest(exchange);
    }
}
