package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.ankisync.auth.Accounts;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.media.MediaSyncService;
import org.ankisync.undertow.UndertowSyncServer;

/** Our server, in this JVM, on a free loopback port with a temporary data folder. */
public final class OurServer implements SyncServerUnderTest {
    private final Path dataDir;
    private final Map<String, String> environment;
    private final Clock historyClock;
    private UndertowSyncServer running;
    private Accounts accounts;

    private OurServer(Path dataDir, Map<String, String> environment, Clock historyClock) {
        this.dataDir = dataDir;
        this.environment = environment;
        this.historyClock = historyClock;
    }

    /** Starts with the {@link TestUsers} and data under {@code dataDir}. */
    public static OurServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** Starts with extra settings (for example {@code ANKISYNCD_MAX_UPLOAD_MB}). */
    public static OurServer start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, Clock.systemUTC());
    }

    /** Starts with extra settings and the clock of snapshots (tests move it by days; see SyncServer.Builder). */
    public static OurServer start(Path dataDir, Map<String, String> settings, Clock historyClock) {
        Map<String, String> environment = new HashMap<>(TestUsers.asEnvironment());
        environment.putAll(settings);
        OurServer server = new OurServer(dataDir, environment, historyClock);
        server.restart();
        return server;
    }

    /** Stops (if running) and starts again on a new port, keeping the data folder. */
    public void restart() {
        close();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new HashMap<>(environment);
        settings.put(ServerConfig.HOST, "127.0.0.1");
        settings.put(ServerConfig.PORT, "0");
        settings.put(ServerConfig.COLLECTIONS_PATH, dataDir.toString());
        settings.putIfAbsent(ServerConfig.AUTH_DB_PATH, authDb().toString());
        ServerConfig config = ServerConfig.fromSettings(settings);
        accounts = Accounts.fromConfig(config, environment);
        SyncServer sync = accounts.applyTo(SyncServer.builder(config))
                .historyClock(historyClock)
                .media(MediaSyncService.onFileSystem(config.collectionsPath(), config.history()))
                .build();
        running = new UndertowSyncServer(config, sync).start();
    }

    /** The account database (beside the data folder, unless the settings name another). */
    public Path authDb() {
        return Path.of(environment.getOrDefault(
                ServerConfig.AUTH_DB_PATH,
                dataDir.resolveSibling(dataDir.getFileName() + "-users.db").toString()));
    }

    /** The settings the server runs with (test users included), e.g. for running the command line beside it. */
    public Map<String, String> environment() {
        Map<String, String> settings = new HashMap<>(environment);
        settings.put(ServerConfig.COLLECTIONS_PATH, dataDir.toString());
        settings.putIfAbsent(ServerConfig.AUTH_DB_PATH, authDb().toString());
        return settings;
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
        if (accounts != null) {
            accounts.close();
            accounts = null;
        }
    }
}
