package org.ankisync.e2e.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare v11 client (Java HttpClient + zstd-jni): sends whatever bytes a test
 * wants, hostile ones included, and shows the raw answer.
 */
final class RawSyncClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String endpoint;
    private String hostKey = "";

    RawSyncClient(String endpoint) {
        this.endpoint = endpoint.endsWith("/") ? endpoint : endpoint + "/";
    }

    /** Status and, for a 200, the decompressed payload. */
    record Reply(int status, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode data() {
            JsonNode envelope = json();
            if (!"".equals(envelope.path("err").asText(null))) {
                throw new AssertionError("media reply without empty err: " + envelope);
            }
            return envelope.get("data");
        }
    }

    RawSyncClient login(String user, String password) {
        String body = JSON.createObjectNode().put("u", user).put("p", password).toString();
        Reply reply = post("sync/hostKey", body.getBytes(StandardCharsets.UTF_8));
        if (reply.status() != 200) {
            throw new AssertionError("login failed: " + reply.status());
        }
        hostKey = reply.json().get("key").asText();
        return this;
    }

    Reply post(String path, byte[] payload) {
        String header = JSON.createObjectNode().put("v", 11).put("k", hostKey).put("c", "26.9.3,raw,linux")
                .put("s", "").toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .timeout(Duration.ofMinutes(2))
                .header("anki-sync", header)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Zstd.compress(payload, 1)))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            if (response.statusCode() == 200) {
                long size = Long.parseLong(response.headers().firstValue("anki-original-size").orElseThrow(
                        () -> new AssertionError("200 without anki-original-size")));
                body = Zstd.decompress(body, (int) size);
            }
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply post(String path, String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8));
    }

    int mediaUsn() {
        Reply reply = post("msync/begin", "{\"v\":\"raw\"}");
        if (reply.status() != 200) {
            throw new AssertionError("begin failed: " + reply.status());
        }
        return reply.data().get("usn").asInt();
    }
}
