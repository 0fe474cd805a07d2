package org.ankisync.undertow;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.AccountsCommand;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.ServerRunLock;
import org.ankisync.media.MediaSyncService;
import org.ankisync.undertow.history.HistoryCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ankisyncd.jar}: reads the configuration, starts the server
 * and runs until stopped (Ctrl-C or SIGTERM roll back running syncs).
 * {@code java -jar ankisyncd.jar user|key ...}: manages accounts (see {@link AccountsCommand}).
 * {@code java -jar ankisyncd.jar snapshot|media|backup|restore-backup ...}: history (see {@link HistoryCommand}).
 */
public final class Main {
    /** Held while the process lives (a reference, or the collector would close its file and drop it). */
    private static ServerRunLock runLock;

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        if (HistoryCommand.isCommand(args)) {
            configureLogging("warn");
            System.exit(HistoryCommand.run(args, environment, System.out, System.err));
            return;
        }
        if (AccountsCommand.isCommand(args)) {
            configureLogging("warn");
            System.exit(AccountsCommand.run(args, environment, System.in, System.out, System.err));
            return;
        }
        ServerConfig config;
        Accounts accounts;
        try {
            config = ServerConfig.load(environment);
            configureLogging(config.logLevel());
            accounts = Accounts.fromConfig(config, environment);
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("ankisyncd: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        if (accounts.users().list().isEmpty()) {
            log.warn("no users yet: add one with 'java -jar ankisyncd.jar user add NAME' (or set SYNC_USER1=user:pass)");
        }
        UndertowSyncServer server;
        try {
            Files.createDirectories(config.collectionsPath());
            // Held while the process lives: restore-backup refuses to run beside a server.
            runLock = ServerRunLock.hold(config.collectionsPath());
            SyncServer sync = accounts.applyTo(SyncServer.builder(config))
                    .media(MediaSyncService.onFileSystem(config.collectionsPath(), config.history())).build();
            server = new UndertowSyncServer(config, sync).start();
        } catch (IOException | RuntimeException e) {
            accounts.close();
            System.err.println("ankisyncd: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        UndertowSyncServer running = server;
        // Closing the server rolls back running syncs and closes the account database.
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "ankisyncd-shutdown"));
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
