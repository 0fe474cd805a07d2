package org.ankisync.undertow;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.ankisync.auth.Accounts;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.OpsSettings;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.framing.V11Framing;
import org.ankisync.core.ops.RequestIds;

/**
 * {@code java -jar ankisyncd.jar doctor [--endpoint URL]}: checks a set-up the
 * way an administrator would by hand, and prints one line per check:
 * {@code ok ...}, or {@code PROBLEM ... Fix: ...}. First the configuration as
 * the server reads it (folders, port, account store, users, disk space);
 * then, given the endpoint users type into Anki, the whole path through any
 * reverse proxy: {@code /health}, a 100 MB body, a chunked body with the
 * {@code anki-sync} header, the {@code anki-original-size} reply header and
 * the trailing slash. A reply from this server is recognised by its
 * {@code X-Request-Id} header, so that a proxy's own error page is never
 * mistaken for it. Exit status 0 when every check passed, 1 otherwise.
 */
final class Doctor {
    /** What clients upload in one request at most by default (the official limit is 100 MiB). */
    static final long LARGE_BODY_BYTES = 100_000_000L;

    private final Map<String, String> environment;
    private final PrintStream out;
    private int problems;

    Doctor(Map<String, String> environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    int run(String endpoint) {
        checkConfiguration();
        if (endpoint != null) {
            checkEndpoint(endpoint);
        }
        out.println(problems == 0 ? "all checks passed" : problems + " problem(s) found");
        return problems == 0 ? 0 : 1;
    }

    private void ok(String what) {
        out.println("ok       " + what);
    }

    private void problem(String what, String fix) {
        problems++;
        out.println("PROBLEM  " + what + ". Fix: " + fix);
    }

    // --- the configuration ----------------------------------------------------

    private void checkConfiguration() {
        ServerConfig config;
        OpsSettings ops;
        try {
            Map<String, String> settings = ServerConfig.settings(environment);
            config = ServerConfig.fromSettings(settings);
            ops = OpsSettings.fromSettings(settings);
        } catch (ConfigException e) {
            problem(
                    "the configuration cannot be read: " + e.getMessage(),
                    "correct that setting (environment or ankisyncd.conf)");
            return;
        }
        ok("configuration read");
        Path collections = config.collectionsPath().toAbsolutePath().normalize();
        checkWritableFolder(collections, ServerConfig.COLLECTIONS_PATH);
        checkWritableFolder(
                config.authDbPath().toAbsolutePath().normalize().getParent(), ServerConfig.AUTH_DB_PATH + "'s folder");
        checkDisk(collections, ops);
        try (Accounts accounts = Accounts.fromConfig(config, environment)) {
            int users = accounts.users().list().size();
            ok("account store '" + config.auth().store() + "' readable");
            if (users == 0) {
                problem(
                        "no users are defined",
                        "add one: java -jar ankisyncd.jar user add NAME" + " (or set SYNC_USER1=name:password)");
            } else {
                ok(users + " user(s) defined");
            }
        } catch (RuntimeException e) {
            problem(
                    "the account store cannot be read: " + e.getMessage(),
                    "check " + ServerConfig.AUTH_DB_PATH + " and the ANKISYNCD_AUTH_* settings"
                            + " (and ANKISYNCD_DATABASE_* with the postgres store)");
        }
        checkPort(config);
    }

    private void checkWritableFolder(Path folder, String name) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            problem(name + " " + folder + " cannot be created", "create it, or point the setting elsewhere");
            return;
        }
        try {
            Path probe = Files.createTempFile(existing, ".doctor-", ".tmp");
            Files.delete(probe);
            ok(name + " " + folder + (existing.equals(folder) ? " is writable" : " can be created"));
        } catch (IOException e) {
            problem(
                    name + " " + existing + " is not writable (" + e.getMessage() + ")",
                    "give the server's user write access (chown/chmod), or mount it read-write");
        }
    }

    private void checkDisk(Path collections, OpsSettings ops) {
        Path existing = collections;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            long free = Files.getFileStore(existing).getUsableSpace();
            long mib = free / (1024 * 1024);
            if (free < ops.minFreeDiskBytes()) {
                problem(
                        "only " + mib + " MiB free where the collections live (the floor is "
                                + ops.minFreeDiskBytes() / (1024 * 1024) + " MiB)",
                        "free some space or lower " + OpsSettings.MIN_FREE_DISK_MB);
            } else {
                ok(mib + " MiB free where the collections live");
            }
        } catch (IOException | RuntimeException e) {
            problem("free disk space unknown (" + e.getMessage() + ")", "check " + ServerConfig.COLLECTIONS_PATH);
        }
    }

    private void checkPort(ServerConfig config) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
            ok("port " + config.port() + " on " + config.host() + " is free");
        } catch (IOException e) {
            String local = "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":"
                    + config.port() + "/";
            if (config.host().equals("0.0.0.0")) {
                local = "http://127.0.0.1:" + config.port() + "/";
            }
            Reply health = get(URI.create(local + "health"));
            if (health.ours() && health.status() == 200) {
                ok("port " + config.port() + " is in use by this server, which answers " + local + "health");
            } else {
                problem(
                        "port " + config.port() + " on " + config.host() + " is in use by another program ("
                                + e.getMessage() + ")",
                        "stop that program or set " + ServerConfig.PORT);
            }
        }
    }

    // --- the endpoint users type ---------------------------------------------

    private void checkEndpoint(String typed) {
        URI endpoint;
        try {
            endpoint = URI.create(typed);
            if (endpoint.getScheme() == null
                    || endpoint.getHost() == null
                    || !(endpoint.getScheme().equals("http")
                            || endpoint.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problem(
                    "the endpoint '" + typed + "' is not a URL (" + e.getMessage() + ")",
                    "give it as https://host/ or https://host/prefix/");
            return;
        }
        String base = typed;
        if (!typed.endsWith("/")) {
            base = typed + "/";
            problem(
                    "the endpoint " + typed + " has no trailing slash: clients then drop its last path part",
                    "tell users to type " + base);
        } else {
            ok("the endpoint ends with /");
        }
        Reply health = get(URI.create(base + "health"));
        if (health.status() == 200 && health.ours()) {
            ok(base + "health answers 200 from this server");
        } else {
            problem(
                    base + "health " + health.describe(),
                    "make the proxy pass " + base + " (with everything below"
                            + " it) to the server, e.g. nginx: location " + pathOf(base)
                            + " { proxy_pass http://127.0.0.1:"
                            + "27701/; }");
            // Nothing further can pass if this does not.
            printClientSettings(base);
            return;
        }
        Reply ready = get(URI.create(base + "ready"));
        if (ready.headers().firstValue(V11Framing.ORIGINAL_SIZE).isPresent()) {
            ok("the " + V11Framing.ORIGINAL_SIZE + " reply header reaches the client");
        } else {
            problem(
                    "the proxy removes the " + V11Framing.ORIGINAL_SIZE + " reply header, which clients need",
                    "let the proxy pass reply headers through unchanged (nginx does by default; remove"
                            + " proxy_hide_header or header filters)");
        }
        checkLargeBody(base);
        checkChunked(base);
        printClientSettings(base);
    }

    private void checkLargeBody(String base) {
        HttpRequest request = syncRequest(base + "sync/upload")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(LARGE_BODY_BYTES)), LARGE_BODY_BYTES))
                .build();
        Reply reply = send(request, Duration.ofMinutes(5));
        if (reply.ours() && reply.status() != 413 && reply.status() < 500) {
            ok("a 100 MB request body passes (the server answered " + reply.status()
                    + ", as expected without a login)");
        } else {
            problem(
                    "a 100 MB request body (a large collection's full upload) " + reply.describe(),
                    "raise the proxy's body limit, e.g. nginx: client_max_body_size 500m; (the default is 1m)");
        }
    }

    private void checkChunked(String base) {
        HttpRequest request = syncRequest(base + "sync/meta")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(64 * 1024)))
                .build();
        Reply reply = send(request, Duration.ofSeconds(60));
        // 403 is this server refusing the doctor's made-up key: the anki-sync header and the chunked body arrived.
        if (reply.ours() && reply.status() == 403) {
            ok("a chunked request body with the anki-sync header passes");
        } else {
            problem(
                    "a chunked request (how clients send every body) " + reply.describe(),
                    "let the proxy accept chunked bodies and pass the anki-sync request header (nginx:"
                            + " proxy_http_version 1.1; and no underscores_in_headers trouble)");
        }
    }

    private void printClientSettings(String base) {
        out.println();
        out.println("What users type into their clients:");
        out.println("  Anki desktop: Preferences > Syncing > Self-hosted sync server: " + base);
        out.println("  AnkiDroid:    Settings > Sync > Custom sync server: Sync url " + base + " (Media sync url "
                + base + "msync/ where asked)");
        out.println("  AnkiMobile:   Settings > Syncing > Custom server: " + base);
    }

    private static String pathOf(String base) {
        String path = URI.create(base).getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static HttpRequest.Builder syncRequest(String url) {
        // A made-up key: the server refuses it with 403, after the proxy has carried the request through.
        return HttpRequest.newBuilder(URI.create(url))
                .header(
                        V11Framing.HEADER,
                        "{\"v\":11,\"k\":\"ankisyncd-doctor\",\"c\":\"ankisyncd-doctor\",\"s\":\"\"}")
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(5));
    }

    private Reply get(URI uri) {
        return send(
                HttpRequest.newBuilder(uri)
                        .GET()
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                Duration.ofSeconds(20));
    }

    private static Reply send(HttpRequest request, Duration connectTimeout) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body(), null);
        } catch (IOException e) {
            return new Reply(0, null, "", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, null, "", "interrupted");
        }
    }

    /** An HTTP reply, or the failure to get one. */
    private record Reply(int status, HttpHeaders rawHeaders, String body, String failure) {
        boolean ours() {
            return rawHeaders != null
                    && rawHeaders.firstValue(RequestIds.HEADER).isPresent();
        }

        HttpHeaders headers() {
            return rawHeaders == null ? HttpHeaders.of(Map.of(), (a, b) -> true) : rawHeaders;
        }

        String describe() {
            if (failure != null) {
                return "failed: " + failure;
            }
            String from = ours() ? "this server" : "not this server (the proxy, or something else)";
            String text = body.length() > 80 ? body.substring(0, 80) + "..." : body;
            return "got " + status + " from " + from + ": "
                    + text.replaceAll("\\s+", " ").trim();
        }
    }

    /** {@code size} zero bytes, made on the fly. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
