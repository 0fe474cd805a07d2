package org.ankisync.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.ankisync.admin.ActivityLog;
import org.ankisync.admin.AdminArea;
import org.ankisync.admin.AdminHandler;
import org.ankisync.admin.AdminSettings;
import org.ankisync.auth.Accounts;
import org.ankisync.core.SyncServer;
import org.ankisync.core.config.OpsSettings;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.ops.MetricsAccess;
import org.ankisync.core.ops.Readiness;
import org.ankisync.media.MediaSyncService;
import org.ankisync.metrics.SyncMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the WAR is made of: accounts, media and the core, from one set of
 * settings. The only place that names the implementations.
 */
final class ServletWiring {
    private static final Logger LOG = LoggerFactory.getLogger(ServletWiring.class);
    /** Held so java.util.logging keeps the level (it references loggers weakly). */
    private static java.util.logging.Logger appLogger;

    private ServletWiring() {}

    /** The sync server and, when an admin password is configured, the admin area over the same accounts. */
    record Wired(SyncServer sync, Optional<AdminHandler> admin) {}

    static SyncServer build(ServerConfig config, Map<String, String> settings) throws IOException {
        return wire(config, settings).sync();
    }

    static Wired wire(ServerConfig config, Map<String, String> settings) throws IOException {
        if (!config.collectionsPath().isAbsolute()) {
            LOG.warn(
                    "{} is relative ({}): it resolves against the container's working directory",
                    ServerConfig.COLLECTIONS_PATH,
                    config.collectionsPath());
        }
        Files.createDirectories(config.collectionsPath());
        loadDrivers();
        Accounts accounts = Accounts.fromConfig(config, settings);
        if (accounts.users().list().isEmpty()) {
            LOG.warn(
                    "no users yet: add them with the launcher's 'user add' against {} or set SYNC_USER1=user:password",
                    config.authDbPath());
        }
        OpsSettings ops = OpsSettings.fromSettings(settings);
        AtomicReference<SyncServer> built = new AtomicReference<>();
        SyncMetrics metrics =
                new SyncMetrics(() -> built.get() == null ? 0 : built.get().openSessions());
        Readiness readiness =
                new Readiness(config.collectionsPath(), ops.minFreeDiskBytes(), Readiness.FreeSpace.FILE_STORE, () -> {
                    accounts.users().exists("ankisyncd-readiness-probe");
                    return true;
                });
        AdminSettings adminSettings = AdminSettings.fromSettings(settings);
        MediaSyncService media = MediaSyncService.fromSettings(config, settings);
        ActivityLog activity = new ActivityLog(Clock.systemUTC());
        SyncServer sync = accounts.applyTo(SyncServer.builder(config))
                .media(media.observedBy(metrics))
                .observer(metrics)
                .readiness(readiness)
                .metrics(new MetricsAccess(metrics, ops))
                .activity(activity)
                .build();
        built.set(sync);
        return new Wired(sync, AdminArea.create(config, adminSettings, accounts, activity, media, Clock.systemUTC()));
    }

    /**
     * The SQLite driver registers itself when its class loads; in a web
     * application that must happen in the application's own class loader,
     * also after a redeploy, or {@code DriverManager} finds no driver.
     */
    private static void loadDrivers() {
        try {
            Class.forName("org.sqlite.JDBC");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("sqlite-jdbc is missing from the web application", e);
        }
    }

    /**
     * On undeploy: unregisters the drivers this application loaded, so its class
     * loader can go. Only when our classes came from the web application's own
     * loader (a WAR): an application that has them on its main class path shares
     * the driver with the rest of its process.
     */
    static void releaseDrivers(ClassLoader applicationLoader) {
        ClassLoader ours = ServletWiring.class.getClassLoader();
        if (ours != applicationLoader) {
            return;
        }
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == ours) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException e) {
                    LOG.debug("could not unregister {}", driver, e);
                }
            }
        }
    }

    /** slf4j-jdk14 logs through java.util.logging, where the container's handlers take over. */
    static void configureLogging(String level) {
        Level julLevel = switch (level.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
        appLogger = java.util.logging.Logger.getLogger("org.ankisync");
        appLogger.setLevel(julLevel);
    }
}
