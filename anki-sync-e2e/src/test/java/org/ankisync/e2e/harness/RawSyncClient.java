package org.ankisync.e2e.harness;

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
 * A bare protocol-v11 client for tests that must do what the official client
 * never does: stop half-way, send malformed bodies, use another user's key.
 */
public final class RawSyncClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String endpoint;
    private String hostKey = "";
    private String sessionKey = "";

    public RawSyncClient(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Logs in and keeps the key for later calls. */
    public RawSyncClient login(String user, String password) {
        Reply reply = post(
                "sync/hostKey",
                JSON.createObjectNode().put("u", user).put("p", password).toString());
        if (reply.status() != 200) {
            throw new IllegalStateException("login failed: " + reply.status());
        }
        hostKey = reply.json().get("key").asText();
        return this;
    }

    /** The host key of the last login (or the one set). */
    public String hostKey() {
        return hostKey;
    }

    public RawSyncClient sessionKey(String key) {
        this.sessionKey = key;
        return this;
    }

    public RawSyncClient hostKey(String key) {
        this.hostKey = key;
        return this;
    }

    /** POSTs a JSON (or any text) payload, zstd-framed. */
    public Reply post(String path, String payload) {
        return postBytes(path, payload.getBytes(StandardCharsets.UTF_8));
    }

    public Reply postBytes(String path, byte[] payload) {
        return postRaw(path, Zstd.compress(payload), header(11));
    }

    /** POSTs an already framed body with the given {@code anki-sync} header value (null: none). */
    public Reply postRaw(String path, byte[] body, String syncHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (syncHeader != null) {
            request.header("anki-sync", syncHeader);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            String originalSize =
                    response.headers().firstValue("anki-original-size").orElse(null);
            if (response.statusCode() == 200 && originalSize != null) {
                bytes = Zstd.decompress(bytes, Integer.parseInt(originalSize));
            }
            return new Reply(response.statusCode(), bytes, originalSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The media usn as {@code msync/begin} reports it. */
    public int mediaUsn() {
        Reply reply = post("msync/begin", "{\"v\":\"raw\"}");
        if (reply.status() != 200) {
            throw new AssertionError("begin failed: " + reply.status());
        }
        return reply.data().get("usn").asInt();
    }

    /** The media usn as collection {@code meta} reports it ({@code media_usn}). */
    public int metaMediaUsn() {
        Reply reply = post("sync/meta", "{\"v\":11,\"cv\":\"raw,1,linux\"}");
        if (reply.status() != 200) {
            throw new AssertionError("meta failed: " + reply.status());
        }
        return reply.json().get("media_usn").asInt();
    }

    public String header(int version) {
        return JSON.createObjectNode()
                .put("v", version)
                .put("k", hostKey)
                .put("c", "raw-test-client,1,linux")
                .put("s", sessionKey)
                .toString();
    }

    /** A reply with its payload already unframed. */
    public record Reply(int status, byte[] body, String originalSize) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        /** The {@code data} of a media reply's envelope, checking that {@code err} is empty. */
        public JsonNode data() {
            JsonNode envelope = json();
            if (!"".equals(envelope.path("err").asText(null))) {
                throw new AssertionError("media reply without empty err: " + envelope);
            }
            return envelope.get("data");
        }
    }
}
