package org.ankisync.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.Ports;

/**
 * A PostgreSQL server of its own for one test class: Debian's binaries
 * (package {@code postgresql}), {@code initdb} into a temporary folder, a free
 * port on 127.0.0.1, trust authentication, {@code fsync=off}. PostgreSQL refuses
 * to run as root, so as root it runs as the user {@code postgres} through
 * {@code runuser}. A missing installation fails the test (it does not skip).
 */
public final class ThrowawayPostgres implements AutoCloseable {
    private final Path folder;
    private final int port;
    private final Process server;
    private final Path bin;
    private final boolean root;

    private ThrowawayPostgres(Path folder, int port, Process server, Path bin, boolean root) {
        this.folder = folder;
        this.port = port;
        this.server = server;
        this.bin = bin;
        this.root = root;
    }

    /** Starts a server in a new temporary folder (directly under the system's, which every user can pass). */
    public static ThrowawayPostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path folder = Files.createTempDirectory("ankisync-postgres");
        Path data = folder.resolve("data");
        Path sockets = folder.resolve("sockets");
        Files.createDirectories(sockets);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", folder.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync"), root);
        int port = Ports.free();
        List<String> command = List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-k", sockets.toString(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "max_connections=100");
        ProcessBuilder builder = new ProcessBuilder(asUser(command, root));
        builder.redirectErrorStream(true);
        builder.redirectOutput(folder.resolve("postgres.log").toFile());
        Process server = builder.start();
        ThrowawayPostgres postgres = new ThrowawayPostgres(folder, port, server, bin, root);
        postgres.awaitReady(Duration.ofSeconds(60));
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"));
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE ankisync");
        } catch (SQLException e) {
            postgres.close();
            throw new IllegalStateException("cannot create the test database: " + e.getMessage(), e);
        }
        return postgres;
    }

    /** The JDBC URL of the test database ({@code ANKISYNCD_DATABASE_URL}). */
    public String jdbcUrl() {
        return jdbcUrl("ankisync");
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("postgres exited: " + log());
            }
            try (Socket ignored = new Socket("127.0.0.1", port);
                 Connection c = DriverManager.getConnection(jdbcUrl("postgres"))) {
                return;
            } catch (IOException | SQLException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("postgres did not accept connections: " + log());
    }

    private String log() {
        try {
            return Files.readString(folder.resolve("postgres.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("PostgreSQL is not installed (Debian package postgresql)");
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
        }
    }

    private static List<String> asUser(List<String> command, boolean root) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(asUser(command, asPostgres)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        // The fast shutdown (the default would wait for every client to leave).
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "fast",
                    "-w", "stop"), root);
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (IOException | RuntimeException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
        deleteTree(folder);
    }

    static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
