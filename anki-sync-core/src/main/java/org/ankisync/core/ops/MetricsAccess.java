package org.ankisync.core.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.config.OpsSettings;
import org.ankisync.core.http.HttpStatus;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.ankisync.core.http.TrustedProxies;

/**
 * {@code /metrics}: the scrape, answered only to whom the settings allow.
 * By default that is loopback clients. A request that came through a proxy
 * the server does not trust (it carries {@code X-Forwarded-For} from an
 * untrusted peer) is refused even from loopback, because a reverse proxy on
 * the same machine would otherwise open the metrics to the world. A bearer
 * token, if configured, opens them from anywhere.
 */
public final class MetricsAccess {
    /** No metrics: 404. */
    public static final MetricsAccess OFF = new MetricsAccess(null, OpsSettings.defaults());

    private final MetricsText text;
    private final OpsSettings settings;

    public MetricsAccess(MetricsText text, OpsSettings settings) {
        this.text = text;
        this.settings = settings;
    }

    /**
     * @param peerCall the call as the socket peer sent it
     * @param call     the call with the client address resolved through trusted proxies
     */
    public SyncReply answer(SyncCall peerCall, SyncCall call, TrustedProxies proxies) {
        if (text == null || !settings.metricsEnabled()) {
            return SyncReply.text(HttpStatus.NOT_FOUND, "not found: /metrics (ANKISYNCD_METRICS=off)");
        }
        if (!allowed(peerCall, call, proxies)) {
            return SyncReply.text(
                    HttpStatus.FORBIDDEN,
                    "metrics are served only to the addresses in " + OpsSettings.METRICS_ALLOW
                            + " or with the token of " + OpsSettings.METRICS_TOKEN);
        }
        byte[] body = text.scrape().getBytes(StandardCharsets.UTF_8);
        return SyncReply.of(
                200,
                Map.of(
                        "Content-Type",
                        text.contentType(),
                        "Content-Length",
                        Integer.toString(body.length),
                        "Cache-Control",
                        "no-store"),
                out -> out.write(body));
    }

    private boolean allowed(SyncCall peerCall, SyncCall call, TrustedProxies proxies) {
        String token = settings.metricsToken();
        if (!token.isEmpty()) {
            Optional<String> authorization = call.header("Authorization");
            if (authorization.isPresent()
                    && MessageDigest.isEqual(
                            authorization.get().trim().getBytes(StandardCharsets.UTF_8),
                            ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        boolean forwarded = !peerCall.headers(TrustedProxies.FORWARDED_FOR).isEmpty()
                || peerCall.header("Forwarded").isPresent();
        if (forwarded && !proxies.isTrusted(peerCall.remoteAddress())) {
            return false;
        }
        return settings.metricsAllowed().isTrusted(call.remoteAddress());
    }
}
