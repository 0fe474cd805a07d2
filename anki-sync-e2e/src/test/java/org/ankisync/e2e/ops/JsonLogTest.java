package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.Device.SyncRequired;
import org.ankisync.e2e.harness.DeviceException;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, must-show 4: with ANKISYNCD_LOG_FORMAT=json every log line is a
 * JSON object, and the request id of an error reply (its header and its
 * text) leads to that request's access line.
 */
class JsonLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void everyLineIsJsonAndAnErrorsRequestIdIsInTheLog() throws Exception {
        String id;
        Path log;
        try (OurServerProcess server =
                        OurServerProcess.start(temp.resolve("data"), "256m", Map.of("ANKISYNCD_LOG_FORMAT", "json"));
                PythonDevice device = PythonDevice.open(temp.resolve("device"))) {
            log = server.log();
            device.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            device.addBasicNotes(2, "Default");
            assertEquals(SyncRequired.FULL_UPLOAD, device.sync());
            device.fullSync(true);
            DeviceException wrong =
                    assertThrows(DeviceException.class, () -> device.login(server.endpoint(), TestUsers.BOB, "wrong"));
            assertTrue(wrong.isAuthFailure(), wrong::getMessage);

            HttpResponse<String> error = Http.post(server.endpoint() + "sync/meta", "not a form");
            assertEquals(400, error.statusCode());
            id = error.headers().firstValue("X-Request-Id").orElseThrow();
            assertTrue(error.body().endsWith("(request id " + id + ")"), error.body());
            server.close();
        }
        List<String> lines = Files.readAllLines(log);
        List<JsonNode> objects = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            assertTrue(node.isObject(), line);
            objects.add(node);
        }
        assertTrue(objects.size() > 10, "expected access lines for every request, got " + objects.size());
        JsonNode access = objects.stream()
                .filter(o -> id.equals(field(o, "request_id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("request id " + id + " not in the log:\n" + lines));
        assertEquals("ankisyncd.access", access.get("loggerName").asText());
        assertEquals("400", field(access, "status"));
        assertEquals("sync/meta", field(access, "route"));
        assertTrue(
                objects.stream()
                        .anyMatch(o -> o.path("formattedMessage")
                                .asText()
                                .equals("LOGIN FAILED address=127.0.0.1 user=\"bob\" reason=wrong_password")),
                "the fail2ban line's text is unchanged");
        assertTrue(
                objects.stream()
                        .anyMatch(o -> o.path("formattedMessage")
                                .asText()
                                .startsWith("warmed up with 30 throwaway syncs in ")),
                "the start-up warm-up ran (ANKISYNCD_WARMUP_SYNCS defaults to 30) and all its syncs were committed");
        assertTrue(
                objects.stream().noneMatch(o -> "warmup".equals(field(o, "user"))),
                "the warm-up's requests (over HTTP on a loopback port of their own) write no access lines");
        assertTrue(
                objects.stream()
                        .noneMatch(o -> o.path("formattedMessage").asText().contains("'warmup'")),
                "nor does the warm-up's login");
        assertTrue(
                objects.stream()
                        .anyMatch(o -> "sync/upload".equals(field(o, "route"))
                                && "alice".equals(field(o, "user"))
                                && "200".equals(field(o, "status"))),
                "the upload's access line");
    }

    /** A key-value pair of the line, wherever the encoder put it; null if absent. */
    private static String field(JsonNode node, String name) {
        JsonNode found = node.findValue(name);
        return found == null ? null : found.asText();
    }
}
