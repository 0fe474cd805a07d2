package org.ankisync.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ankisync.core.ops.CompletedRequest;
import org.ankisync.core.ops.LoginOutcome;
import org.ankisync.core.ops.SyncOutcome;
import org.junit.jupiter.api.Test;

class SyncMetricsTest {
    private final SyncMetrics metrics = new SyncMetrics(() -> 3);

    @Test
    void eventsShowUpUnderPrometheusNames() {
        metrics.syncCompleted(SyncOutcome.FULL_UPLOAD);
        metrics.login(LoginOutcome.WRONG_PASSWORD);
        metrics.login(LoginOutcome.WRONG_PASSWORD);
        metrics.mediaMoved(true, 4, 1000);
        metrics.requestCompleted(new CompletedRequest(
                "id", "POST", "sync/meta", "alice", 200, 10, 20, 2_000_000, "anki,26.9.3", "127.0.0.1"));
        String scrape = metrics.scrape();
        for (String line : new String[] {
            "ankisyncd_syncs_total{outcome=\"full_upload\"} 1.0",
            "ankisyncd_syncs_total{outcome=\"no_changes\"} 0.0",
            "ankisyncd_logins_total{outcome=\"wrong_password\"} 2.0",
            "ankisyncd_media_files_total{direction=\"upload\"} 4.0",
            "ankisyncd_media_transferred_bytes_total{direction=\"upload\"} 1000.0",
            "ankisyncd_requests_total{route=\"sync/meta\",status=\"200\"} 1.0",
            "ankisyncd_request_seconds_bucket{route=\"sync/meta\",le=\"0.005\"} 1",
            "ankisyncd_http_received_bytes_total 10.0",
            "ankisyncd_http_sent_bytes_total 20.0",
            "ankisyncd_sync_sessions_open 3.0"
        }) {
            assertTrue(scrape.contains(line + "\n"), () -> line + " missing from\n" + scrape);
        }
        assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics");
        assertTrue(scrape.contains("process_cpu_usage"), "process metrics");
    }
}
