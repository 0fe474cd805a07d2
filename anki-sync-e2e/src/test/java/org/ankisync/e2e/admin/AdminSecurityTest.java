package org.ankisync.e2e.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.Ports;
import org.ankisync.e2e.harness.RawSyncClient;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, must-show 2, against the launcher jar as users run it: forms without the
 * session's CSRF token, with another session's, or from another origin are refused;
 * the admin cookie opens no sync route and a sync host key opens no admin route;
 * wrong admin passwords are throttled and logged in the fail2ban format; with no
 * admin password every admin URL answers 404.
 */
class AdminSecurityTest {
    private static final String PASSWORD = "admin-secret-16";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The README's fail2ban filter: {@code failregex = LOGIN FAILED address=<HOST> }. */
    private static final Pattern FAIL2BAN = Pattern.compile("LOGIN FAILED address=(\\S+) ");

    @TempDir
    Path temp;

    @Test
    void formsAndRoutesAcceptOnlyWhatIsTheirs() throws Exception {
        int adminPort = Ports.free();
        Map<String, String> settings = Map.of(
                "ANKISYNCD_ADMIN_PASSWORD",
                Pbkdf2.hash(PASSWORD),
                "ANKISYNCD_ADMIN_PORT",
                Integer.toString(adminPort),
                "ANKISYNCD_LOGIN_MAX_FAILURES",
                "3",
                "ANKISYNCD_LOGIN_DELAY_MS",
                "600000");
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", settings)) {
            String base = "http://127.0.0.1:" + adminPort + "/";
            AdminClient a = new AdminClient(base);
            AdminClient b = new AdminClient(base);
            String csrfA = a.login(PASSWORD);
            String csrfB = b.login(PASSWORD);
            assertFalse(csrfA.equals(csrfB), "each session has its own token");

            // the session cookie's attributes, and the page's headers
            HttpResponse<String> login = new AdminClient(base).loginAttempt(PASSWORD);
            String cookie = AdminClient.header(login, "Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            assertFalse(cookie.contains("Secure"), "plain HTTP: " + cookie);
            HttpResponse<String> page = a.get("users");
            assertEquals(200, page.statusCode());
            String csp = AdminClient.header(page, "Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), csp);
            AdminClient behindTls = new AdminClient(base);
            String token = AdminClient.csrfOf(behindTls.get("login").body());
            HttpResponse<String> tlsLogin = behindTls.postForm(
                    "login",
                    Map.of("csrf", token, "password", PASSWORD),
                    "Origin",
                    behindTls.origin(),
                    "X-Forwarded-Proto",
                    "https");
            assertTrue(
                    AdminClient.header(tlsLogin, "Set-Cookie").orElseThrow().contains("; Secure"),
                    "Secure behind HTTPS");

            // CSRF: no token, another session's token, another origin, a cross-site fetch
            Map<String, String> add = Map.of("action", "add", "name", "mallory", "password", "pw");
            assertEquals(403, a.postForm("users", add, "Origin", a.origin()).statusCode(), "no token");
            assertEquals(
                    403,
                    a.postForm("users", with(add, "csrf", csrfB), "Origin", a.origin())
                            .statusCode(),
                    "another session's token");
            assertEquals(
                    403,
                    a.postForm("users", with(add, "csrf", csrfA), "Origin", "http://evil.example")
                            .statusCode(),
                    "another origin");
            assertEquals(
                    403,
                    a.postForm("users", with(add, "csrf", csrfA), "Origin", "null")
                            .statusCode(),
                    "an opaque origin");
            assertEquals(
                    403,
                    a.postForm("users", with(add, "csrf", csrfA), "Sec-Fetch-Site", "cross-site")
                            .statusCode(),
                    "a cross-site fetch");
            assertEquals(
                    403,
                    a.json("POST", "api/users", "{\"name\":\"mallory\",\"password\":\"pw\"}")
                            .statusCode(),
                    "JSON without X-CSRF-Token");
            assertEquals(
                    403,
                    a.json("POST", "api/users", "{\"name\":\"mallory\",\"password\":\"pw\"}", "X-CSRF-Token", csrfB)
                            .statusCode(),
                    "JSON with another session's token");
            assertFalse(userNames(a).contains("mallory"), "nothing refused was done");
            // the login form needs its own token too
            assertEquals(
                    403,
                    new AdminClient(base)
                            .postForm("login", Map.of("password", PASSWORD), "Origin", a.origin())
                            .statusCode(),
                    "login without its token");

            // the same requests done right succeed (so the refusals above were about the token and origin)
            HttpResponse<String> added = a.postForm(
                    "users",
                    with(Map.of("action", "add", "name", "dave", "password", "dave-pw"), "csrf", csrfA),
                    "Origin",
                    a.origin());
            assertEquals(303, added.statusCode(), added.body());
            assertEquals(
                    201,
                    a.json("POST", "api/users", "{\"name\":\"erin\",\"password\":\"erin-pw\"}", "X-CSRF-Token", csrfA)
                            .statusCode());
            assertTrue(userNames(a).containsAll(List.of("dave", "erin")));

            // the admin cookie is no sync credential
            String sessionId = a.cookies().get("ankisyncd_admin");
            RawSyncClient raw = new RawSyncClient(server.endpoint());
            assertEquals(403, syncMetaWithCookie(server.endpoint(), raw.header(11), "ankisyncd_admin=" + sessionId));
            assertEquals(
                    403,
                    raw.hostKey(sessionId)
                            .post("sync/meta", "{\"v\":11,\"cv\":\"test\"}")
                            .status());

            // a sync host key is no admin credential
            String hostKey = new RawSyncClient(server.endpoint())
                    .login(TestUsers.ALICE, TestUsers.ALICE_PASSWORD)
                    .hostKey();
            AdminClient withKey = new AdminClient(base);
            withKey.cookies().put("ankisyncd_admin", hostKey);
            assertEquals(401, withKey.get("api/users").statusCode());
            HttpResponse<String> redirected = withKey.get("users");
            assertEquals(303, redirected.statusCode());
            assertEquals("login", AdminClient.header(redirected, "Location").orElseThrow());
            AdminClient withHeader = new AdminClient(base);
            assertEquals(
                    401,
                    withHeader
                            .get("api/users", "Authorization", "Bearer " + hostKey)
                            .statusCode());

            // wrong admin passwords: refused, then throttled (even the right one), each logged for fail2ban
            AdminClient guesser = new AdminClient(base);
            for (int i = 0; i < 3; i++) {
                assertEquals(403, guesser.loginAttempt("wrong-" + i).statusCode());
            }
            HttpResponse<String> throttled = guesser.loginAttempt(PASSWORD);
            assertEquals(429, throttled.statusCode(), "locked after 3 failures");
            assertTrue(AdminClient.header(throttled, "Retry-After").isPresent());
            assertEquals(
                    429,
                    guesser.json("POST", "api/login", "{\"password\":\"" + PASSWORD + "\"}")
                            .statusCode());
            // a session from before keeps working
            assertEquals(200, a.get("").statusCode());

            List<String> lines = Files.readAllLines(server.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("ADMIN LOGIN FAILED"))
                    .toList();
            assertEquals(5, lines.size(), String.join("\n", lines));
            for (String line : lines) {
                Matcher m = FAIL2BAN.matcher(line);
                assertTrue(m.find(), line);
                assertEquals("127.0.0.1", m.group(1), line);
                assertTrue(line.contains(" WARN "), line);
            }
            assertEquals(
                    3,
                    lines.stream()
                            .filter(l -> l.endsWith("reason=wrong_password"))
                            .count());
            assertTrue(lines.get(3).contains("reason=throttled retry_after_ms="), lines.get(3));

            // and the log page lists them
            JsonNode log = JSON.readTree(a.get("api/log").body());
            assertTrue(log.toString().contains("admin-login"), log.toString());
        }
    }

    @Test
    void withoutAnAdminPasswordEveryAdminUrlAnswers404() {
        // under a path of the sync port: 404 like any unknown sync path
        try (OurServerProcess server =
                OurServerProcess.start(temp.resolve("path"), "256m", Map.of("ANKISYNCD_ADMIN_PATH", "/admin"))) {
            AdminClient admin = new AdminClient(server.endpoint() + "admin/");
            for (String path :
                    List.of("", "login", "users", "devices", "log", "api/login", "api/users", "static/admin.css")) {
                assertEquals(404, admin.get(path).statusCode(), path);
            }
            assertEquals(
                    404, admin.postForm("login", Map.of("password", PASSWORD)).statusCode());
            assertEquals(404, new AdminClient(server.endpoint()).get("admin").statusCode());
        }
        // on its own port: the port is not even opened
        int adminPort = Ports.free();
        try (OurServerProcess server = OurServerProcess.start(
                temp.resolve("port"), "256m", Map.of("ANKISYNCD_ADMIN_PORT", Integer.toString(adminPort)))) {
            AdminClient admin = new AdminClient("http://127.0.0.1:" + adminPort + "/");
            UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> admin.get("login"));
            assertTrue(refused.getCause() instanceof ConnectException, refused.toString());
        }
    }

    @Test
    void underAPathOfTheSyncPortTheSameAdminWorks() throws Exception {
        try (OurServerProcess server = OurServerProcess.start(
                temp.resolve("mounted"),
                "256m",
                Map.of("ANKISYNCD_ADMIN_PASSWORD", Pbkdf2.hash(PASSWORD), "ANKISYNCD_ADMIN_PATH", "/admin"))) {
            AdminClient root = new AdminClient(server.endpoint());
            HttpResponse<String> bare = root.get("admin");
            assertEquals(308, bare.statusCode());
            assertEquals("/admin/", AdminClient.header(bare, "Location").orElseThrow());
            AdminClient admin = new AdminClient(server.endpoint() + "admin/");
            admin.login(PASSWORD);
            JsonNode users = JSON.readTree(admin.get("api/users").body());
            assertEquals(2, users.size(), users.toString());
            // the sync routes are unchanged beside it
            assertEquals(200, root.get("health").statusCode());
            new RawSyncClient(server.endpoint()).login(TestUsers.BOB, TestUsers.BOB_PASSWORD);
        }
    }

    private static List<String> userNames(AdminClient client) throws IOException {
        HttpResponse<String> response = client.get("api/users");
        assertEquals(200, response.statusCode(), response.body());
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).forEach(u -> names.add(u.get("name").asText()));
        return names;
    }

    private static Map<String, String> with(Map<String, String> fields, String name, String value) {
        Map<String, String> copy = new HashMap<>(fields);
        copy.put(name, value);
        return copy;
    }

    /** A v11 {@code sync/meta} with no host key but the admin's session cookie. */
    private static int syncMetaWithCookie(String endpoint, String syncHeader, String cookie) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "sync/meta"))
                .timeout(Duration.ofSeconds(30))
                .header("anki-sync", syncHeader)
                .header("Cookie", cookie)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        Zstd.compress("{\"v\":11,\"cv\":\"test\"}".getBytes(StandardCharsets.UTF_8))))
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
