package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, must-show 1: after a scenario of the official client (login, full
 * upload, normal syncs, a sync without changes, media, one wrong password, one
 * aborted sync) a scrape of the launcher's /metrics shows exactly those
 * counts, and promtool accepts it.
 */
class MetricsScenarioTest {
    @TempDir
    Path temp;

    @Test
    void aScrapeAfterAScenarioShowsExactlyItsCounts() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("data"), "256m", Map.of());
                PythonDevice a = PythonDevice.open(temp.resolve("a"));
                PythonDevice guesser = PythonDevice.open(temp.resolve("guesser"))) {
            String endpoint = server.endpoint();
            a.login(endpoint, TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            a.addBasicNotes(5, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, a.sync());
            a.fullSync(true);
            for (int i = 0; i < 2; i++) {
                a.call("review", Map.of("count", 2));
                // After a normal sync the client reports that nothing more is needed.
                assertEquals(SyncRequired.NO_CHANGES, a.sync());
            }
            assertEquals(SyncRequired.NO_CHANGES, a.sync()); // nothing changed: meta only
            List<Map<String, Object>> files =
                    List.of(Map.of("name", "one.jpg", "size", 3000), Map.of("name", "two.mp3", "size", 5000));
            a.call("add_media", Map.of("files", files));
            a.call("sync_media");

            DeviceException wrong = assertThrows(
                    DeviceException.class, () -> guesser.login(endpoint, TestUsers.ALICE, "not-the-password"));
            assertTrue(wrong.isAuthFailure(), wrong::getMessage);

            RawSyncClient raw = new RawSyncClient(endpoint)
                    .login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD)
                    .sessionKey("abort-me");
            int usn = raw.post("sync/meta", "{\"v\":11,\"cv\":\"raw,1,linux\"}")
                    .json()
                    .get("usn")
                    .asInt();
            assertEquals(
                    200,
                    raw.post("sync/start", "{\"minUsn\":" + usn + ",\"lnewer\":false}")
                            .status());
            assertEquals(200, raw.post("sync/abort", "{}").status());

            HttpResponse<String> response = Http.get(endpoint + "metrics");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(
                    response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    response.headers().toString());
            Scrape scrape = new Scrape(response.body());

            Map<String, Double> syncs = Map.of(
                    "full_upload",
                    1.0,
                    "normal",
                    2.0,
                    "no_changes",
                    1.0,
                    "aborted",
                    1.0,
                    "full_download",
                    0.0,
                    "failed",
                    0.0,
                    "refused_stale",
                    0.0);
            syncs.forEach((outcome, count) ->
                    assertEquals(count, scrape.value("ankisyncd_syncs_total{outcome=\"" + outcome + "\"}"), outcome));
            Map<String, Double> logins =
                    Map.of("ok", 2.0, "wrong_password", 1.0, "unknown_user", 0.0, "throttled", 0.0);
            logins.forEach((outcome, count) ->
                    assertEquals(count, scrape.value("ankisyncd_logins_total{outcome=\"" + outcome + "\"}"), outcome));
            assertEquals(2.0, scrape.value("ankisyncd_media_files_total{direction=\"upload\"}"));
            assertEquals(8000.0, scrape.value("ankisyncd_media_transferred_bytes_total{direction=\"upload\"}"));
            assertEquals(0.0, scrape.value("ankisyncd_media_files_total{direction=\"download\"}"));
            assertEquals(0.0, scrape.value("ankisyncd_sync_sessions_open"));
            // Per route and status: the logins, the one wrong password's 403, and the two normal syncs' finish.
            assertEquals(2.0, scrape.value("ankisyncd_requests_total{route=\"sync/hostKey\",status=\"200\"}"));
            assertEquals(1.0, scrape.value("ankisyncd_requests_total{route=\"sync/hostKey\",status=\"403\"}"));
            assertEquals(2.0, scrape.value("ankisyncd_requests_total{route=\"sync/finish\",status=\"200\"}"));
            assertEquals(1.0, scrape.value("ankisyncd_requests_total{route=\"sync/upload\",status=\"200\"}"));
            assertEquals(1.0, scrape.value("ankisyncd_request_seconds_count{route=\"sync/upload\"}"));
            assertTrue(scrape.value("ankisyncd_http_received_bytes_total") > 8000, "bytes in");
            assertTrue(scrape.value("ankisyncd_http_sent_bytes_total") > 0, "bytes out");
            assertTrue(scrape.value("ankisyncd_lock_wait_seconds_count") > 0, "lock waits");
            assertTrue(scrape.value("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}") >= 0, "JVM");
            assertTrue(scrape.text.contains("process_cpu_usage"), "process metrics");
            scrape.assertPromtoolAccepts();
            assertDashboardMetricsExist(scrape);
        }
    }

    /** Every metric the shipped Grafana dashboard queries is in a real scrape. */
    private static void assertDashboardMetricsExist(Scrape scrape) throws Exception {
        Path dashboard = Path.of(System.getProperty("ankisyncd.jar"))
                .getParent()
                .getParent()
                .getParent()
                .resolve("ops")
                .resolve("grafana-dashboard.json");
        JsonNode panels =
                new ObjectMapper().readTree(Files.readString(dashboard)).get("panels");
        Pattern metric = Pattern.compile("\\b((?:ankisyncd|jvm|process)_[a-z_]+)");
        int checked = 0;
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = metric.matcher(target.get("expr").asText());
                while (m.find()) {
                    String name = m.group(1);
                    assertTrue(
                            Pattern.compile("(?m)^" + name + "[{ ]")
                                    .matcher(scrape.text)
                                    .find(),
                            () -> "the dashboard queries " + name + ", which the scrape lacks");
                    checked++;
                }
            }
        }
        assertTrue(checked > 10, "checked " + checked + " metric references");
    }
}
