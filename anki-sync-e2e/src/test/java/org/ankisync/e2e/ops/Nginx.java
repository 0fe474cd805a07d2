package org.ankisync.e2e.ops;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ankisync.e2e.harness.Ports;

/**
 * Debian's nginx in front of the server, with a given {@code location} block:
 * its own prefix folder, config and temporary folders, in the foreground.
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private Nginx(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts nginx on a free port with {@code location} (an nginx location block) as its only site. */
    static Nginx start(Path dir, String location) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Ports.free();
        String config = String.join(
                "\n",
                "daemon off;",
                "worker_processes 1;",
                "user root;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + ";",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                location,
                "  }",
                "}",
                "");
        Files.writeString(dir.resolve("nginx.conf"), config, StandardCharsets.UTF_8);
        Process process;
        try {
            process = new ProcessBuilder(
                            "nginx",
                            "-p",
                            dir.toString(),
                            "-c",
                            dir.resolve("nginx.conf").toString(),
                            "-e",
                            dir.resolve("error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "nginx is missing: install Debian's nginx (apt-get install nginx-light);" + " .ci/run does", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("nginx did not start: " + Files.readString(dir.resolve("stdout.log"))
                            + (Files.exists(dir.resolve("error.log"))
                                    ? Files.readString(dir.resolve("error.log"))
                                    : ""));
                }
                Thread.sleep(50);
            }
        }
        return new Nginx(process, port, dir);
    }

    /** The endpoint users would type: nginx's address with the trailing slash. */
    String endpoint() {
        return "http://127.0.0.1:" + port + "/";
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
