package org.ankisync.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.config.OpsSettings;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.TrustedProxies;
import org.junit.jupiter.api.Test;

class MetricsAccessTest {
    private static final MetricsText TEXT = new MetricsText() {
        @Override
        public String contentType() {
            return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public String scrape() {
            return "up 1\n";
        }
    };

    private static int status(
            Map<String, String> settings, String peer, Map<String, String> headers, TrustedProxies proxies) {
        MetricsAccess access = new MetricsAccess(TEXT, OpsSettings.fromSettings(settings));
        SyncCall peerCall = call(peer, headers);
        return access.answer(peerCall, proxies.resolve(peerCall), proxies).status();
    }

    private static int status(Map<String, String> settings, String peer, Map<String, String> headers) {
        return status(settings, peer, headers, TrustedProxies.none());
    }

    @Test
    void loopbackOnlyByDefault() {
        assertEquals(200, status(Map.of(), "127.0.0.1", Map.of()));
        assertEquals(200, status(Map.of(), "0:0:0:0:0:0:0:1", Map.of()));
        assertEquals(403, status(Map.of(), "203.0.113.7", Map.of()));
    }

    @Test
    void aRequestForwardedByAnUntrustedProxyIsRefusedEvenFromLoopback() {
        assertEquals(403, status(Map.of(), "127.0.0.1", Map.of("X-Forwarded-For", "203.0.113.7")));
        // With the proxy trusted, the forwarded client address decides.
        TrustedProxies local = TrustedProxies.parse("127.0.0.1");
        assertEquals(403, status(Map.of(), "127.0.0.1", Map.of("X-Forwarded-For", "203.0.113.7"), local));
        assertEquals(
                200,
                status(
                        Map.of("ANKISYNCD_METRICS_ALLOW", "203.0.113.0/24"),
                        "127.0.0.1",
                        Map.of("X-Forwarded-For", "203.0.113.7"),
                        local));
    }

    @Test
    void anAllowListAndABearerToken() {
        Map<String, String> allow = Map.of("ANKISYNCD_METRICS_ALLOW", "10.0.0.0/8");
        assertEquals(200, status(allow, "10.1.2.3", Map.of()));
        assertEquals(403, status(allow, "127.0.0.1", Map.of()));
        Map<String, String> token = Map.of("ANKISYNCD_METRICS_TOKEN", "s3cret");
        assertEquals(200, status(token, "203.0.113.7", Map.of("Authorization", "Bearer s3cret")));
        assertEquals(403, status(token, "203.0.113.7", Map.of("Authorization", "Bearer wrong")));
    }

    @Test
    void offIs404() {
        assertEquals(404, status(Map.of("ANKISYNCD_METRICS", "off"), "127.0.0.1", Map.of()));
        assertEquals(
                404,
                MetricsAccess.OFF
                        .answer(call("127.0.0.1", Map.of()), call("127.0.0.1", Map.of()), TrustedProxies.none())
                        .status());
    }

    private static SyncCall call(String peer, Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new SyncCall() {
            @Override
            public String httpMethod() {
                return "GET";
            }

            @Override
            public String path() {
                return "metrics";
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(lower.get(name.toLowerCase(java.util.Locale.ROOT)));
            }

            @Override
            public List<String> headers(String name) {
                return header(name).map(List::of).orElse(List.of());
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return peer;
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(new byte[0]);
            }
        };
    }
}
