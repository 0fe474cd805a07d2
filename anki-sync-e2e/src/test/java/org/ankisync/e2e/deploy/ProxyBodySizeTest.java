package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The body-size lines of the shipped proxy configurations are what lets the
 * 150 MB upload of {@link ReverseProxyTest} through: without nginx's
 * {@code client_max_body_size} (its default is 1 MiB) the client's full
 * upload fails with the message the client shows. Caddy has no default limit,
 * so its line is a cap; lowered to 10 MB it refuses the same upload.
 */
class ProxyBodySizeTest {
    /**
     * What the official client reports (and the desktop app shows) when a proxy
     * closes the connection on a body it refuses, before the upload has been sent.
     */
    static final String CLIENT_MESSAGE = "NetworkError: A network error occurred.";

    @TempDir
    Path temp;

    private OurServerProcess server;
    private TestCa ca;

    @BeforeEach
    void start() {
        ca = TestCa.create(temp.resolve("ca"));
        server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void nginxWithoutItsBodySizeLineRefusesTheLargeUpload() {
        try (TlsProxy proxy = Proxies.nginx(
                temp.resolve("nginx"), port(), ca, snippet -> snippet.withoutLinesContaining("client_max_body_size"))) {
            assertEquals(CLIENT_MESSAGE, firstLine(uploadFails(proxy)));
            String errors = read(temp.resolve("nginx/error.log"));
            assertTrue(errors.contains("client intended to send too large chunked body"), errors);
        }
    }

    @Test
    void caddyWithItsBodySizeCapLoweredRefusesTheLargeUpload() {
        try (TlsProxy proxy = Proxies.caddy(
                temp.resolve("caddy"),
                port(),
                ca,
                false,
                caddyfile -> caddyfile.replace("max_size 2GB", "max_size 10MB"))) {
            // Caddy logs nothing about it without an access log; the same test with
            // the shipped 2GB cap passes (ReverseProxyTest), so the cap is what refused.
            assertEquals(CLIENT_MESSAGE, firstLine(uploadFails(proxy)));
        }
    }

    /** A's full upload of the large collection through the proxy fails; the client's error. */
    private DeviceException uploadFails(TlsProxy proxy) {
        try (PythonDevice a = TlsSyncScenario.device(LargeCollection.copyTo(temp.resolve("a")), ca)) {
            a.login(proxy.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            return assertThrows(DeviceException.class, () -> a.syncWithFull(null, false));
        }
    }

    private static String firstLine(DeviceException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int port() {
        return Integer.parseInt(server.endpoint().replaceAll(".*:(\\d+)/$", "$1"));
    }
}
