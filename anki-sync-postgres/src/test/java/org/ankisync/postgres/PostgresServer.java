package org.ankisync.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL for tests: Debian's {@code postgresql} package's
 * {@code initdb} makes a cluster in a temporary folder, {@code pg_ctl} starts it
 * on a free port of 127.0.0.1 (its unix socket in the same folder), and
 * {@link #close()} stops it and deletes the folder. One per test class keeps the
 * tests fast; {@link #createDatabase()} gives each test its own database, owned
 * by an ordinary role that logs in with a password (SCRAM over TCP), as a
 * deployment would.
 *
 * <p>PostgreSQL refuses to run as root. When the tests run as root (CI does),
 * the cluster's folder is given to the {@code postgres} user that the Debian
 * package creates, and {@code initdb}/{@code pg_ctl} run through
 * {@code runuser -u postgres --}.
 *
 * <p>No binaries: {@link #start()} throws, so the test fails (never skips) and
 * says which package to install.
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser of the throwaway cluster; it logs in over TCP with {@link #SUPERUSER_PASSWORD}. */
    public static final String SUPERUSER = "cluster_admin";

    private static final String SUPERUSER_PASSWORD = "cluster-admin-secret";
    private static final Path INSTALL_ROOT = Path.of("/usr/lib/postgresql");
    private static final String RUN_AS = "postgres";

    private final Path binaries;
    private final Path folder;
    private final Path data;
    private final int port;
    private final boolean asRoot;
    private final AtomicInteger databases = new AtomicInteger();

    /** One database of the cluster and the role that owns it. */
    public record Database(String name, String url, String user, String password) {
        /**
         * The server's settings for this database: {@code ANKISYNCD_DATABASE_URL},
         * {@code _USER} and {@code _PASSWORD}.
         */
        public Map<String, String> settings() {
            return Map.of(
                    "ANKISYNCD_DATABASE_URL",
                    url,
                    "ANKISYNCD_DATABASE_USER",
                    user,
                    "ANKISYNCD_DATABASE_PASSWORD",
                    password);
        }

        /** A new connection as the owner (for checks of what the server wrote). */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private PostgresServer(Path binaries, Path folder, int port, boolean asRoot) {
        this.binaries = binaries;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.port = port;
        this.asRoot = asRoot;
    }

    /** Creates and starts a new cluster; fails if Debian's {@code postgresql} package is not installed. */
    public static PostgresServer start() {
        Path binaries = findBinaries();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        Path folder;
        try {
            folder = Files.createTempDirectory("ankisync-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(binaries, folder, freePort(), asRoot);
        try {
            server.initialise();
            server.run(
                    binaries.resolve("pg_ctl").toString(),
                    "-D",
                    server.data.toString(),
                    "-l",
                    folder.resolve("server.log").toString(),
                    "-w",
                    "-t",
                    "60",
                    "start");
            return server;
        } catch (RuntimeException e) {
            String log = server.serverLog();
            server.close();
            throw new IllegalStateException(e.getMessage() + (log.isEmpty() ? "" : "\nserver log:\n" + log), e);
        }
    }

    private static Path findBinaries() {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(INSTALL_ROOT)) {
            try (Stream<Path> versions = Files.list(INSTALL_ROOT)) {
                versions.map(v -> v.resolve("bin"))
                        .filter(bin -> Stream.of("initdb", "pg_ctl", "postgres")
                                .allMatch(tool -> Files.isExecutable(bin.resolve(tool))))
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // The newest major version (folder names are numbers: 15, 16, ...).
        return found.stream()
                .max(Comparator.comparingInt(
                        bin -> versionOf(bin.getParent().getFileName().toString())))
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + INSTALL_ROOT
                        + "/*/bin (initdb, pg_ctl, postgres): install the Debian package postgresql"
                        + " (apt-get install postgresql)"));
    }

    private static int versionOf(String folderName) {
        try {
            return Integer.parseInt(folderName);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void initialise() {
        try {
            Path passwordFile = folder.resolve("superuser-password");
            Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n", StandardCharsets.UTF_8);
            if (asRoot) {
                giveTo(RUN_AS, folder, passwordFile);
            }
            // trust on the unix socket (inside this private folder only), a password over TCP.
            run(
                    binaries.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    SUPERUSER,
                    "--pwfile=" + passwordFile,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync");
            // Test settings: only loopback, a socket in our folder, durability off for speed.
            String settings = String.join(
                    "\n",
                    "",
                    "listen_addresses = '127.0.0.1'",
                    "port = " + port,
                    "unix_socket_directories = '" + folder + "'",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    "max_connections = 50",
                    "shared_buffers = 16MB",
                    "");
            Files.writeString(
                    data.resolve("postgresql.conf"),
                    settings,
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void giveTo(String user, Path... paths) throws IOException {
        UserPrincipalLookupService users = paths[0].getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner;
        try {
            owner = users.lookupPrincipalByName(user);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "running as root, the cluster must run as the user '" + user
                            + "', which the Debian package postgresql creates: install it (apt-get install postgresql)",
                    e);
        }
        for (Path path : paths) {
            Files.setOwner(path, owner);
        }
    }

    /** Runs a PostgreSQL tool (through runuser when root), failing with its output. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (asRoot) {
            line.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line)
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", line) + " failed (" + process.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** A JDBC URL of a database of this cluster. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * A new empty database owned by a new login role (not a superuser) with a
     * password: what an administrator gives the sync server.
     */
    public Database createDatabase() {
        int n = databases.incrementAndGet();
        String name = "ankisync_test_" + n;
        String role = "ankisync_" + n;
        String password = "secret-" + n + "-" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url("postgres"), SUPERUSER, SUPERUSER_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            s.execute("CREATE DATABASE " + name + " OWNER " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database: " + e.getMessage(), e);
        }
        return new Database(name, url(name), role, password);
    }

    private String serverLog() {
        try {
            Path log = folder.resolve("server.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops the cluster (immediately: nothing in it is kept) and deletes its folder. */
    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            deleteTree(folder);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
