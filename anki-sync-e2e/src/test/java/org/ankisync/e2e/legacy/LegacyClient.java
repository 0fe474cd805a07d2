package org.ankisync.e2e.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A bare protocol v8-10 client: multipart forms as anki/sync.py (2.1.x) wrote
 * them, optional gzip, raw replies. For recorded bodies and for the legacy
 * half of round trips.
 */
final class LegacyClient {
    static final String BOUNDARY = "Anki-sync-boundary";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String endpoint;

    LegacyClient(String endpoint) {
        this.endpoint = endpoint;
    }

    /** A reply as it came: status, headers of interest, raw body. */
    record Reply(int status, String contentType, String originalSize, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }
    }

    /** POSTs a recorded body as it is. */
    Reply postRaw(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build());
    }

    /** POSTs a form with the given fields and payload ({@code data} omitted when null). */
    Reply post(String path, Map<String, String> fields, byte[] data, boolean gzip) {
        return postRaw(path, CONTENT_TYPE, form(fields, data, gzip));
    }

    static byte[] form(Map<String, String> fields, byte[] data, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("c", gzip ? "1" : "0");
        for (Map.Entry<String, String> e : all.entrySet()) {
            write(
                    out,
                    "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                            + e.getValue() + "\r\n");
        }
        if (data != null) {
            write(
                    out,
                    "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"data\"\r\n"
                            + "Content-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(gzip ? gzip(data) : data);
            write(out, "\r\n");
        }
        write(out, "--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("anki-original-size").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
