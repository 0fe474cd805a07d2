package org.ankisync.undertow.admin;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import org.ankisync.admin.AdminHandler;
import org.ankisync.admin.AdminSettings;
import org.xnio.Options;

/**
 * The admin area on a listener of its own ({@code ANKISYNCD_ADMIN_HOST}:{@code ANKISYNCD_ADMIN_PORT},
 * loopback by default), so it can stay unreachable from where the clients sync.
 */
public final class UndertowAdminServer implements AutoCloseable {
    private final Undertow undertow;

    public UndertowAdminServer(AdminSettings settings, AdminHandler admin) {
        this.undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.host())
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setSocketOption(Options.READ_TIMEOUT, 60_000)
                .setSocketOption(Options.WRITE_TIMEOUT, 60_000)
                .setWorkerThreads(8)
                .setHandler(new AdminMount(admin))
                .build();
    }

    public UndertowAdminServer start() {
        undertow.start();
        return this;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
