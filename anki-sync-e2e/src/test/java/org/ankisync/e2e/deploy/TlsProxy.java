package org.ankisync.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy from Debian's packages (nginx, Caddy, Apache httpd) running
 * in the foreground as a child process, with TLS from a {@link TestCa}, in
 * front of our server. The endpoint is what a user types into the client.
 */
final class TlsProxy implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final String endpoint;

    private TlsProxy(String name, Process process, Path log, String endpoint) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /**
     * Starts {@code command} and waits until {@code endpoint + "health"} answers
     * 200 over TLS through it (so the proxy reaches the server).
     */
    static TlsProxy start(
            String name,
            List<String> command,
            Map<String, String> environment,
            Path folder,
            String endpoint,
            TestCa ca) {
        Processes.requireTool(command.get(0));
        Path log = folder.resolve(name + ".log");
        try {
            Files.createDirectories(folder);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            TlsProxy proxy = new TlsProxy(name, builder.start(), log, endpoint);
            try {
                proxy.awaitHealthy(ca);
            } catch (RuntimeException e) {
                proxy.close();
                throw e;
            }
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy(TestCa ca) {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(ca.sslContext())
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(
                name + " did not pass " + endpoint + "health within 60 s (" + last + "):\n" + logText());
    }

    /** The endpoint for the clients, ending with {@code /}. */
    String endpoint() {
        return endpoint;
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: each of them stops cleanly on it
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
