package org.ankisync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.PasswordPolicy;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.core.auth.LoginContext;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.http.SyncCall;
import org.ankisync.core.http.SyncReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler in process: routing, escaping, the CSRF and origin rules, the JSON endpoints. */
class AdminHandlerTest {
    private static final String PASSWORD = "admin-pw";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");

    @TempDir
    Path temp;

    private Accounts accounts;
    private AdminHandler handler;
    private ActivityLog activity;

    @BeforeEach
    void start() {
        ServerConfig config = ServerConfig.fromSettings(Map.of(
                ServerConfig.COLLECTIONS_PATH, temp.resolve("collections").toString(),
                ServerConfig.AUTH_DB_PATH, temp.resolve("users.db").toString()));
        temp.resolve("collections").toFile().mkdirs();
        accounts = Accounts.fromConfig(config, Map.of(), Clock.systemUTC(), new PasswordPolicy(1000));
        activity = new ActivityLog(Clock.systemUTC());
        AdminSettings settings =
                AdminSettings.fromSettings(Map.of(AdminSettings.PASSWORD, Pbkdf2.hash(PASSWORD, 1000)));
        handler = AdminArea.create(config, settings, accounts, activity, Clock.systemUTC())
                .orElseThrow();
    }

    @AfterEach
    void stop() {
        accounts.close();
    }

    @Test
    void pagesNeedALoginAndCarryTheSecurityHeaders() {
        Reply reply = call("GET", "users", Map.of(), "");
        assertEquals(303, reply.status);
        assertEquals("login", reply.headers.get("Location"));
        Reply login = call("GET", "login", Map.of(), "");
        assertEquals(200, login.status);
        assertEquals(AdminHandler.CSP, login.headers.get("Content-Security-Policy"));
        assertEquals("nosniff", login.headers.get("X-Content-Type-Options"));
        assertEquals("DENY", login.headers.get("X-Frame-Options"));
        assertEquals(401, call("GET", "api/users", Map.of(), "").status);
    }

    @Test
    void formsNeedTheSessionsTokenAndNamesAreEscaped() {
        String cookie = login();
        String csrf = csrfOf(call("GET", "", Map.of("Cookie", cookie), "").body);
        String form = "action=add&name=a%26b%27c&password=pw";
        Map<String, String> headers = Map.of("Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, call("POST", "users", headers, form).status);
        assertEquals(
                403,
                call("POST", "users", with(headers, "Origin", "https://other.example"), form + "&csrf=" + csrf).status);
        assertFalse(accounts.users().exists("a&b'c"));
        Reply done = call("POST", "users", headers, form + "&csrf=" + csrf);
        assertEquals(303, done.status, done.body);
        assertTrue(accounts.users().exists("a&b'c"));
        String page = call("GET", "users", Map.of("Cookie", cookie), "").body;
        assertTrue(page.contains("a&amp;b&#39;c"), "escaped");
        assertFalse(page.contains("a&b'c"), "never raw");
    }

    @Test
    void jsonEndpointsDoWhatTheCommandLineDoes() {
        String cookie = login();
        String csrf = csrfOf(call("GET", "", Map.of("Cookie", cookie), "").body);
        Map<String, String> json = Map.of("Cookie", cookie, "Content-Type", "application/json", "X-CSRF-Token", csrf);
        assertEquals(201, call("POST", "api/users", json, "{\"name\":\"ann\",\"password\":\"pw\"}").status);
        assertEquals(409, call("POST", "api/users", json, "{\"name\":\"ann\",\"password\":\"pw\"}").status);
        assertEquals(400, call("POST", "api/users", json, "{\"name\":\"../x\",\"password\":\"pw\"}").status);
        assertEquals(400, call("POST", "api/users", json, "not json").status);
        accounts.keys().issue("ann", new LoginContext("anki,1", "10.0.0.1"));
        assertEquals(1, accounts.keys().list(Optional.of("ann")).size());
        assertTrue(call("GET", "api/users/ann/devices", json, "").body.contains("10.0.0.1"));
        assertEquals(200, call("POST", "api/users/ann/password", json, "{\"password\":\"new\"}").status);
        assertEquals(0, accounts.keys().list(Optional.of("ann")).size(), "a new password logs devices out");
        assertEquals(404, call("DELETE", "api/users/nobody", json, "").status);
        assertEquals(200, call("DELETE", "api/users/ann", json, "").status);
        assertFalse(accounts.users().exists("ann"));
        assertEquals(404, call("GET", "api/nothing", json, "").status);
    }

    @Test
    void aKeyOfAnotherUserCannotBeRevokedThroughThisUser() {
        accounts.users().add("ann", "pw");
        accounts.users().add("ben", "pw");
        accounts.keys().issue("ben", new LoginContext("anki,1", "10.0.0.2"));
        long bensKey = accounts.keys().list(Optional.of("ben")).get(0).id();
        String cookie = login();
        String csrf = csrfOf(call("GET", "", Map.of("Cookie", cookie), "").body);
        Map<String, String> json = Map.of("Cookie", cookie, "X-CSRF-Token", csrf);
        assertEquals(404, call("DELETE", "api/users/ann/devices/" + bensKey, json, "").status);
        assertEquals(1, accounts.keys().list(Optional.of("ben")).size());
    }

    @Test
    void theActivityLogIsBounded() {
        for (int i = 0; i < ActivityLog.CAPACITY + 50; i++) {
            activity.requestFailed("10.0.0.1", "sync/meta", 403, "invalid hkey");
        }
        assertEquals(ActivityLog.CAPACITY, activity.recent().size());
        assertEquals(ActivityLog.CAPACITY + 50, activity.today().errors());
    }

    private String login() {
        Reply page = call("GET", "login", Map.of(), "");
        String token = csrfOf(page.body);
        String pre = page.headers.get("Set-Cookie").split(";")[0];
        Reply reply = call(
                "POST",
                "login",
                Map.of("Cookie", pre, "Content-Type", "application/x-www-form-urlencoded"),
                "csrf=" + token + "&password=" + PASSWORD);
        assertEquals(303, reply.status, reply.body);
        return reply.headers.get("Set-Cookie").split(";")[0];
    }

    private static String csrfOf(String page) {
        Matcher m = CSRF.matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    private record Reply(int status, Map<String, String> headers, String body) {}

    private Reply call(String method, String path, Map<String, String> headers, String body) {
        SyncReply reply = handler.handle(new SyncCall() {
            @Override
            public String httpMethod() {
                return method;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public Optional<String> header(String name) {
                return headers.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue)
                        .findFirst();
            }

            @Override
            public List<String> headers(String name) {
                return header(name).map(List::of).orElse(List.of());
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1";
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            reply.body().writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reply.complete();
        }
        return new Reply(reply.status(), reply.headers(), out.toString(StandardCharsets.UTF_8));
    }
}
