package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Our server as users run it: {@code java -jar ankisyncd.jar} in its own
 * process, with a chosen heap ceiling. For memory and crash tests.
 */
public final class OurServerProcess implements SyncServerUnderTest {
    private final Path dataDir;
    private final int port;
    private final String maxHeap;
    private final Map<String, String> settings;
    private final Path log;
    private Process process;

    private OurServerProcess(Path dataDir, int port, String maxHeap, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.port = port;
        this.maxHeap = maxHeap;
        this.settings = Map.copyOf(settings);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    }

    /** Starts the launcher jar with {@code -Xmx<maxHeap>} and the {@link TestUsers}. */
    public static OurServerProcess start(Path dataDir, String maxHeap, Map<String, String> settings) {
        OurServerProcess server = new OurServerProcess(dataDir, Ports.free(), maxHeap, settings);
        server.launch();
        return server;
    }

    /**
     * The same on a given port: for settings that must name the port before the
     * start (a cluster node's public endpoint).
     */
    public static OurServerProcess start(Path dataDir, String maxHeap, Map<String, String> settings, int port) {
        OurServerProcess server = new OurServerProcess(dataDir, port, maxHeap, settings);
        server.launch();
        return server;
    }

    /** Starts a new process on the same port and data folder (after {@link #kill()} or {@link #close()}). */
    public void restart() {
        if (process != null && process.isAlive()) {
            close();
        }
        launch();
    }

    private void launch() {
        try {
            Files.createDirectories(dataDir);
            Path jar = Path.of(Venv.property("ankisyncd.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run the tests with mvn verify from the top");
            }
            List<String> command = new ArrayList<>(
                    List.of(javaBinary(), "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(TestUsers.asEnvironment());
            builder.environment().putAll(settings);
            builder.environment().put("ANKISYNCD_HOST", "127.0.0.1");
            builder.environment().put("ANKISYNCD_PORT", Integer.toString(port));
            builder.environment().put("ANKISYNCD_COLLECTIONS_PATH", dataDir.toString());
            builder.environment()
                    .put(
                            "ANKISYNCD_AUTH_DB_PATH",
                            dataDir.resolveSibling("users.db").toString());
            builder.directory(dataDir.toFile());
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = builder.start();
            try {
                Ports.awaitHealthy(endpoint(), Duration.ofSeconds(60), process);
            } catch (RuntimeException e) {
                close();
                // The log lives in the test's temporary folder, gone once it fails: its end goes with the error.
                throw new IllegalStateException(e.getMessage() + "; the end of its log:\n" + logTail(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The settings the server runs with (test users, data folder, account
     * database), for running the launcher's command line beside it.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(TestUsers.asEnvironment());
        environment.putAll(settings);
        environment.put("ANKISYNCD_COLLECTIONS_PATH", dataDir.toString());
        environment.put(
                "ANKISYNCD_AUTH_DB_PATH", dataDir.resolveSibling("users.db").toString());
        return Map.copyOf(environment);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The process id, for resident-set measurements. */
    public long pid() {
        return process.pid();
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String name() {
        return "ours-process";
    }

    /**
     * SIGTERM, as a service manager stops the server; waits up to {@code wait}
     * for the process to end. Returns its exit status, or -1 if it still runs
     * (it is then killed).
     */
    public int terminate(Duration wait) {
        process.destroy();
        try {
            if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return -1;
    }

    /** SIGKILL: no shutdown hook runs (crash tests). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
