package org.ankisync.undertow;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import io.undertow.server.HttpHandler;
import org.ankisync.admin.ActivityLog;
import org.ankisync.admin.AdminArea;
import org.ankisync.admin.AdminCommand;
import org.ankisync.admin.AdminHandler;
import org.ankisync.admin.AdminSettings;
import org.ankisync.undertow.admin.AdminMount;
import org.ankisync.undertow.admin.UndertowAdminServer;
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
        if (AdminCommand.isCommand(args)) {
            configureLogging("warn");
            System.exit(AdminCommand.run(args, System.in, System.out, System.err));
            return;
        }
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
        AdminSettings adminSettings;
        try {
            config = ServerConfig.load(environment);
            configureLogging(config.logLevel());
            adminSettings = AdminSettings.fromSettings(ServerConfig.mergedSettings(environment));
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
        UndertowAdminServer adminServer = null;
        try {
            Files.createDirectories(config.collectionsPath());
            // Held while the process lives: restore-backup refuses to run beside a server.
            runLock = ServerRunLock.hold(config.collectionsPath());
            // The admin pages read what the sync routes report (last syncs, recent failures).
            ActivityLog activity = new ActivityLog(Clock.systemUTC());
            SyncServer sync = accounts.applyTo(SyncServer.builder(config))
                    .media(MediaSyncService.onFileSystem(config.collectionsPath(), config.history()))
                    .activity(activity).build();
            Optional<AdminHandler> admin = AdminArea.create(config, adminSettings, accounts, activity,
                    Clock.systemUTC());
            HttpHandler handler = new UndertowAdapter(sync);
            if (admin.isPresent() && adminSettings.path().isPresent()) {
                handler = AdminMount.underPath(handler, adminSettings.path().get(), admin.get());
            } else if (admin.isPresent()) {
                try {
                    adminServer = new UndertowAdminServer(adminSettings, admin.get()).start();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("admin pages on " + adminSettings.host() + ":"
                            + adminSettings.port() + ": " + e.getMessage(), e);
                }
            }
            server = new UndertowSyncServer(config, sync, handler).start();
        } catch (IOException | RuntimeException e) {
            if (adminServer != null) {
                adminServer.close();
            }
            accounts.close();
            System.err.println("ankisyncd: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        UndertowSyncServer running = server;
        UndertowAdminServer runningAdmin = adminServer;
        // Closing the server rolls back running syncs and closes the account database.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (runningAdmin != null) {
                runningAdmin.close();
            }
            running.close();
        }, "ankisyncd-shutdown"));
        log.info("listening on http://{}:{}/ with collections in {}", config.host(), server.port(),
                config.collectionsPath().toAbsolutePath().normalize());
        if (adminServer != null) {
            log.info("admin pages on http://{}:{}/", adminSettings.host(), adminServer.port());
        } else if (adminSettings.enabled()) {
            log.info("admin pages under http://{}:{}{}/", config.host(), server.port(), adminSettings.path().get());
        }
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
