package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ankisync.e2e.harness.OurServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official client syncs over TLS through nginx, Caddy and Apache httpd from Debian's
 * packages, configured with exactly the files in {@code deploy/} (only host
 * name, ports and certificate paths replaced), trusting a test CA through
 * {@code SSL_CERT_FILE}: login, a 150 MB full upload and download, normal
 * syncs and media (see {@link TlsSyncScenario}); and under a path prefix with
 * nginx and with Apache httpd.
 */
class ReverseProxyTest {
    @TempDir
    Path temp;

    private OurServerProcess server;
    private TestCa ca;

    @BeforeEach
    void start() {
        ca = TestCa.create(temp.resolve("ca"));
        server = OurServerProcess.start(
                temp.resolve("server"), "256m", Map.of("ANKISYNCD_TRUSTED_PROXIES", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nginx() {
        try (TlsProxy proxy = Proxies.nginx(temp.resolve("nginx"), port(), ca, UnaryOperator.identity())) {
            TlsSyncScenario.run(proxy.endpoint(), ca, temp.resolve("devices"));
        }
        assertPassedThroughNginx("/");
    }

    @Test
    void nginxUnderAPathPrefix() {
        try (TlsProxy proxy = Proxies.nginxUnderPrefix(temp.resolve("nginx"), port(), ca)) {
            TlsSyncScenario.run(proxy.endpoint(), ca, temp.resolve("devices"));
        }
        assertPassedThroughNginx("/anki/");
    }

    /** nginx's access log has the upload, download and media requests, answered 200. */
    private void assertPassedThroughNginx(String prefix) {
        String log;
        try {
            log = Files.readString(temp.resolve("nginx/access.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String path : List.of("sync/upload", "sync/download", "msync/uploadChanges", "msync/downloadFiles")) {
            assertTrue(log.contains("\"POST " + prefix + path + " HTTP/1.1\" 200 "), () -> path + " in\n" + log);
        }
    }

    @Test
    void caddy() {
        try (TlsProxy proxy = Proxies.caddy(temp.resolve("caddy"), port(), ca, false, UnaryOperator.identity())) {
            TlsSyncScenario.run(proxy.endpoint(), ca, temp.resolve("devices"));
        }
    }

    @Test
    void apacheUnderAPathPrefix() {
        try (TlsProxy proxy = Proxies.apache(temp.resolve("apache"), port(), ca, true)) {
            TlsSyncScenario.run(proxy.endpoint(), ca, temp.resolve("devices"));
        }
    }

    private int port() {
        return Integer.parseInt(server.endpoint().replaceAll(".*:(\\d+)/$", "$1"));
    }
}
