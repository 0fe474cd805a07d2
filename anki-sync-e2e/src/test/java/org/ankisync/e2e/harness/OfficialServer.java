package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official server ({@code python -m anki.syncserver} from the pinned
 * package) on a free loopback port: the oracle for differential tests.
 */
public final class OfficialServer implements SyncServerUnderTest {
    private final Path dataDir;
    private final int port;
    private final Process process;

    private OfficialServer(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    public static OfficialServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** Starts with extra environment variables (for example other {@code SYNC_USERn} or {@code PASSWORDS_HASHED}). */
    public static OfficialServer start(Path dataDir, Map<String, String> environment) {
        try {
            Files.createDirectories(dataDir);
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(Venv.python().toString(), "-m", "anki.syncserver");
            builder.environment().putAll(TestUsers.asEnvironment());
            builder.environment().putAll(environment);
            builder.environment().put("SYNC_HOST", "127.0.0.1");
            builder.environment().put("SYNC_PORT", Integer.toString(port));
            builder.environment().put("SYNC_BASE", dataDir.toString());
            builder.redirectErrorStream(true);
            builder.redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-official.log")
                    .toFile());
            Process process = builder.start();
            OfficialServer server = new OfficialServer(dataDir, port, process);
            try {
                Ports.awaitHealthy(server.endpoint(), Duration.ofSeconds(60), process);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return "official";
    }

    /** The process id, for resident-set measurements. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
