package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3-compatible server for tests: moto's server ({@code moto_server}, pinned in the
 * test tools' virtual environment that the build creates, see {@code ensure_tools_venv.py})
 * on a free loopback port. It keeps everything in memory and accepts any credentials.
 * If it cannot be started the test fails: there is no skip.
 *
 * <p>The few calls the tests make to look into the bucket (create, list, get) are plain
 * path-style HTTP, so this harness does not depend on the code under test.
 */
public final class S3Server implements AutoCloseable {
    /** Credentials the server under test is given; moto accepts any. */
    public static final String ACCESS_KEY_ID = "test-access-key";

    public static final String SECRET_ACCESS_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private static final String UNCHECKED_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/20260101/"
            + REGION + "/s3/aws4_request, SignedHeaders=host, Signature=0";
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
    private static final Pattern NEXT_TOKEN = Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");

    private final int port;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();

    private S3Server(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts moto's server; its output goes to {@code logFile}. */
    public static S3Server start(Path logFile) {
        Path motoServer = Path.of(Venv.property("tools.venv")).resolve("bin").resolve("moto_server");
        if (!Files.isExecutable(motoServer)) {
            throw new IllegalStateException(motoServer + " is missing: run the tests through Maven (mvn verify),"
                    + " which creates the test tools' virtual environment");
        }
        int port = Ports.free();
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port));
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            S3Server server = new S3Server(port, builder.start(), logFile);
            server.awaitUp(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + ", see " + log);
            }
            try {
                HttpResponse<Void> reply = http.send(
                        HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("moto_server did not answer within " + timeout + ", see " + log);
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override for path-style clients. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public void createBucket(String bucket) {
        HttpResponse<String> reply = send(
                HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket)).PUT(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("create bucket " + bucket + ": " + reply.statusCode() + " " + reply.body());
        }
    }

    /** Every key in {@code bucket} that starts with {@code prefix}, in S3's (byte) order. */
    public List<String> keys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String query = "?list-type=2&prefix=" + encode(prefix)
                    + (token == null ? "" : "&continuation-token=" + encode(token));
            HttpResponse<String> reply = send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + query)),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("list " + bucket + ": " + reply.statusCode() + " " + reply.body());
            }
            Matcher key = KEY.matcher(reply.body());
            while (key.find()) {
                keys.add(unescapeXml(key.group(1)));
            }
            Matcher next = NEXT_TOKEN.matcher(reply.body());
            token = next.find() ? unescapeXml(next.group(1)) : null;
        } while (token != null);
        return keys;
    }

    /** Stores an object (the harness's own check, and test fixtures). */
    public void put(String bucket, String key, byte[] content) {
        HttpResponse<String> reply = send(
                HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "/" + encodePath(key)))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException(
                    "put " + bucket + "/" + key + ": " + reply.statusCode() + " " + reply.body());
        }
    }

    /** The bytes of one object, streamed (the caller closes the stream). */
    public InputStream open(String bucket, String key) {
        String path = "/" + bucket + "/" + encodePath(key);
        HttpResponse<InputStream> reply =
                send(HttpRequest.newBuilder(URI.create(endpoint() + path)), HttpResponse.BodyHandlers.ofInputStream());
        if (reply.statusCode() != 200) {
            try (InputStream body = reply.body()) {
                body.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // only the status matters
            }
            throw new IllegalStateException("get " + bucket + "/" + key + ": " + reply.statusCode());
        }
        return reply.body();
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            // moto checks no signature, but treats a request without credentials as anonymous (403 on GET)
            return http.send(
                    request.timeout(Duration.ofSeconds(60))
                            .header("Authorization", UNCHECKED_AUTHORIZATION)
                            .build(),
                    body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Each segment of a key percent-encoded, the slashes kept. */
    private static String encodePath(String key) {
        return String.join(
                "/", Arrays.stream(key.split("/", -1)).map(S3Server::encode).toList());
    }

    private static String unescapeXml(String text) {
        return text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
