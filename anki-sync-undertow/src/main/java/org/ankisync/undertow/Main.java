package org.ankisync.undertow;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.ankisync.auth.EnvironmentUsers;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.media.MediaSyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ankisyncd.jar}: reads the configuration, starts the server
 * and runs until stopped (Ctrl-C or SIGTERM roll back running syncs).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        ServerConfig config;
        EnvironmentUsers users;
        try {
            config = ServerConfig.load(environment);
            users = EnvironmentUsers.fromEnvironment(environment);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("ankisyncd: " + e.getMessage());
            System.exit(2);
            return;
        }
        configureLogging(config.logLevel());
        Logger log = LoggerFactory.getLogger(Main.class);
        if (users.isEmpty()) {
            log.warn("no users defined: set SYNC_USER1=user:password (and SYNC_USER2, ...) to let clients log in");
        }
        UndertowSyncServer server;
        try {
            Files.createDirectories(config.collectionsPath());
            SyncServer sync = SyncServer.builder(config).users(users).hostKeys(users)
                    .media(MediaSyncService.onFileSystem(config.collectionsPath())).build();
            server = new UndertowSyncServer(config, sync).start();
        } catch (IOException | RuntimeException e) {
            System.err.println("ankisyncd: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ankisyncd-shutdown"));
        log.info("listening on http://{}:{}/ with collections in {}", config.host(), server.port(),
                config.collectionsPath().toAbsolutePath().normalize());
    }

    /** slf4j-simple reads its level once, from system properties, before the first logger exists. */
    static void configureLogging(String level) {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.log.io.undertow", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.xnio", "warn");
    }
}
