package org.ankisync.e2e.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A scripted "browser" for the admin area: plain HTTP with the cookies and
 * headers each security test chooses, so that it can send what a real
 * browser would refuse to (a foreign Origin, another session's token).
 */
final class AdminClient {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    AdminClient(String base) {
        this.base = base;
    }

    /** The admin base, e.g. {@code http://127.0.0.1:27702/}. */
    String base() {
        return base;
    }

    String origin() {
        URI uri = URI.create(base);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    Map<String, String> cookies() {
        return cookies;
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    /** A form POST with the same-origin header a browser sends, plus {@code headers}. */
    HttpResponse<String> postForm(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(b, headers);
    }

    HttpResponse<String> json(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b, headers);
    }

    /** Logs in through the login form; returns the CSRF token of the new session (from the overview). */
    String login(String password) {
        HttpResponse<String> response = loginAttempt(password);
        if (response.statusCode() != 303) {
            throw new IllegalStateException("admin login failed: " + response.statusCode() + " " + response.body());
        }
        return csrfOf(get("").body());
    }

    HttpResponse<String> loginAttempt(String password) {
        String token = csrfOf(get("login").body());
        return postForm("login", Map.of("csrf", token, "password", password), "Origin", origin());
    }

    static String csrfOf(String page) {
        Matcher m = CSRF_FIELD.matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF field in the page:\n" + page);
        }
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        b.timeout(Duration.ofSeconds(60));
        if (!cookies.isEmpty()) {
            b.header(
                    "Cookie",
                    cookies.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || setCookie.contains("Max-Age=0")) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
