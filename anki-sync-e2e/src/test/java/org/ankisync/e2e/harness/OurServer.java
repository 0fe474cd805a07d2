package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ankisync.auth.EnvironmentUsers;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.media.MediaSyncService;
import org.ankisync.undertow.UndertowSyncServer;

/** Our server, in this JVM, on a free loopback port with a temporary data folder. */
public final class OurServer implements SyncServerUnderTest {
    private final Path dataDir;
    private final Map<String, String> environment;
    private UndertowSyncServer running;

    private OurServer(Path dataDir, Map<String, String> environment) {
        this.dataDir = dataDir;
        this.environment = environment;
    }

    /** Starts with the {@link TestUsers} and data under {@code dataDir}. */
    public static OurServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** Starts with extra settings (for example {@code ANKISYNCD_MAX_UPLOAD_MB}). */
    public static OurServer start(Path dataDir, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(TestUsers.asEnvironment());
        environment.putAll(settings);
        OurServer server = new OurServer(dataDir, environment);
        server.restart();
        return server;
    }

    /** Stops (if running) and starts again on a new port, keeping the data folder. */
    public void restart() {
        if (running != null) {
            running.close();
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new HashMap<>(environment);
        settings.put(ServerConfig.HOST, "127.0.0.1");
        settings.put(ServerConfig.PORT, "0");
        settings.put(ServerConfig.COLLECTIONS_PATH, dataDir.toString());
        ServerConfig config = ServerConfig.fromSettings(settings);
        EnvironmentUsers users = EnvironmentUsers.fromEnvironment(environment);
        SyncServer sync = SyncServer.builder(config).users(users).hostKeys(users)
                .media(MediaSyncService.onFileSystem(config.collectionsPath())).build();
        running = new UndertowSyncServer(config, sync).start();
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + running.port() + "/";
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public void close() {
        if (running != null) {
            running.close();
            running = null;
        }
    }
}
