package org.ankisync.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ankisync.core.http.SyncReply;

/** The admin replies: HTML, JSON, redirects, each with the security headers of every admin reply. */
final class Replies {
    private Replies() {}

    static SyncReply redirect(String location) {
        return reply(303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location));
    }

    static SyncReply redirectWith(String location, String setCookie) {
        return reply(
                303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location, "Set-Cookie", setCookie));
    }

    static SyncReply html(int status, String page) {
        return html(status, page, Map.of());
    }

    static SyncReply html(int status, String page, Map<String, String> headers) {
        return reply(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), headers);
    }

    static String plain(String message) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ankisyncd admin</title>"
                + "<link rel=\"stylesheet\" href=\"static/admin.css\"></head><body><main id=\"main\">"
                + "<h1>ankisyncd admin</h1><p role=\"alert\">" + Html.esc(message)
                + "</p><p><a href=\"login\">Log in</a></p></main></body></html>";
    }

    static SyncReply json(int status, JsonNode node) {
        try {
            return reply(status, "application/json", AdminJson.MAPPER.writeValueAsBytes(node), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static SyncReply reply(int status, String contentType, byte[] body, Map<String, String> extra) {
        Map<String, String> headers = headers(contentType, body.length);
        headers.putAll(extra);
        return SyncReply.of(status, headers, out -> out.write(body));
    }

    /** The headers of every admin reply: type, length, and the security headers. */
    static Map<String, String> headers(String contentType, long length) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Long.toString(length));
        headers.put("Content-Security-Policy", AdminHandler.CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        // Not no-referrer: with it, Chromium sends "Origin: null" on the admin's own form posts.
        headers.put("Referrer-Policy", "same-origin");
        headers.put("Cache-Control", "no-store");
        return headers;
    }

    static SyncReply withHeader(SyncReply reply, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put(name, value);
        return SyncReply.of(reply.status(), headers, reply.body());
    }

    static String seconds(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    static byte[] resource(String name) {
        try (InputStream in = AdminHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the admin jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
