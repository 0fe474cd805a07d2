package org.ankisync.undertow;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.ankisync.admin.ActivityLog;
import org.ankisync.admin.AdminArea;
import org.ankisync.admin.AdminCommand;
import org.ankisync.admin.AdminHandler;
import org.ankisync.admin.AdminSettings;
import org.ankisync.auth.Accounts;
import org.ankisync.auth.AccountsCommand;
import org.ankisync.cluster.ClusterNode;
import org.ankisync.cluster.ClusterSettings;
import org.ankisync.cluster.NodeCommand;
import org.ankisync.core.SyncServer;
import org.ankisync.core.activity.SyncActivity;
import org.ankisync.core.cluster.PlacementGate;
import org.ankisync.core.cluster.UserPlacement;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.OpsSettings;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.ServerRunLock;
import org.ankisync.core.ops.MetricsAccess;
import org.ankisync.core.ops.Readiness;
import org.ankisync.core.ops.Warmup;
import org.ankisync.media.MediaSyncService;
import org.ankisync.metrics.SyncMetrics;
import org.ankisync.undertow.admin.AdminMount;
import org.ankisync.undertow.admin.UndertowAdminServer;
import org.ankisync.undertow.history.HistoryCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ankisyncd.jar [serve]}: reads the configuration, starts the
 * server and runs until SIGTERM or Ctrl-C, which shut it down gracefully
 * ({@link UndertowSyncServer#shutdownGracefully}) and exit 0.
 * {@code user|key ...}: manages accounts ({@link AccountsCommand});
 * {@code doctor}: checks the set-up ({@link Doctor}). See {@link CommandLine}.
 * {@code snapshot|media|backup|restore-backup ...}: history ({@link HistoryCommand}).
 */
public final class Main {
    /** Held while the process lives (a reference, or the collector would close its file and drop it). */
    private static ServerRunLock runLock;

    private Main() {}

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        CommandLine.Parsed command = CommandLine.parse(args);
        switch (command.kind()) {
            case VERSION -> {
                System.out.println(CommandLine.version());
                System.exit(0);
            }
            case HELP -> {
                System.out.println(command.text());
                System.exit(0);
            }
            case USAGE_ERROR -> {
                System.err.println(command.text());
                System.exit(2);
            }
            case ACCOUNTS -> {
                Logging.configure("warn", false);
                System.exit(AccountsCommand.run(args, environment, System.in, System.out, System.err));
            }
            case ADMIN -> {
                Logging.configure("warn", false);
                System.exit(AdminCommand.run(args, System.in, System.out, System.err));
            }
            case HISTORY -> {
                Logging.configure("warn", false);
                System.exit(HistoryCommand.run(args, environment, System.out, System.err));
            }
            case NODE -> {
                Logging.configure("warn", false);
                System.exit(
                        NodeCommand.run(command.args(), ServerConfig.settings(environment), System.out, System.err));
            }
            case DOCTOR -> {
                Logging.configure("warn", false);
                String endpoint =
                        command.args().isEmpty() ? null : command.args().get(0);
                System.exit(new Doctor(environment, System.out).run(endpoint));
            }
            case SERVE -> serve(environment);
            default -> throw new IllegalStateException(command.kind().toString());
        }
    }

    private static void serve(Map<String, String> environment) {
        ServerConfig config;
        OpsSettings ops;
        Accounts accounts;
        AdminSettings adminSettings;
        Optional<ClusterSettings> cluster;
        MediaSyncService media;
        try {
            Map<String, String> settings = ServerConfig.settings(environment);
            config = ServerConfig.fromSettings(settings);
            ops = OpsSettings.fromSettings(settings);
            Logging.configure(config.logLevel(), ops.jsonLogs());
            adminSettings = AdminSettings.fromSettings(settings);
            cluster = ClusterSettings.enabled(settings)
                    ? Optional.of(ClusterSettings.forNode(settings))
                    : Optional.empty();
            accounts = Accounts.fromConfig(config, environment);
            // the media store of the settings (ANKISYNCD_MEDIA_STORE), shared by sync and the admin pages
            media = MediaSyncService.fromSettings(config, settings);
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("ankisyncd: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        if (accounts.users().list().isEmpty()) {
            log.warn(
                    "no users yet: add one with 'java -jar ankisyncd.jar user add NAME' (or set SYNC_USER1=user:pass)");
        }
        UndertowSyncServer server;
        UndertowAdminServer adminServer = null;
        ClusterNode node = null;
        try {
            Files.createDirectories(config.collectionsPath());
            // Held while the process lives: restore-backup refuses to run beside a server.
            runLock = ServerRunLock.hold(config.collectionsPath());
            // The admin pages read what the sync routes report (last syncs, recent failures).
            ActivityLog activity = new ActivityLog(Clock.systemUTC());
            node = cluster.isPresent() ? ClusterNode.start(cluster.get(), config.collectionsPath()) : null;
            SyncServer sync = build(
                    config,
                    ops,
                    accounts,
                    activity,
                    media,
                    node == null ? new PlacementGate(UserPlacement.SINGLE_NODE) : node.gate(),
                    node);
            // Before any listener opens: the warm-up's lines are kept out of the log meanwhile.
            warmUp(ops, log);
            Optional<AdminHandler> admin =
                    AdminArea.create(config, adminSettings, accounts, activity, media, Clock.systemUTC());
            HttpHandler handler = new UndertowAdapter(sync);
            if (node != null) {
                // Node-to-node transfers (behind the cluster secret) beside the sync routes.
                handler =
                        Handlers.path(handler).addPrefixPath("/cluster", new UndertowAdapter(node.endpoints()::handle));
            }
            if (admin.isPresent() && adminSettings.path().isPresent()) {
                handler = AdminMount.underPath(handler, adminSettings.path().get(), admin.get());
            } else if (admin.isPresent()) {
                try {
                    adminServer = new UndertowAdminServer(adminSettings, admin.get()).start();
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            "admin pages on " + adminSettings.host() + ":" + adminSettings.port() + ": "
                                    + e.getMessage(),
                            e);
                }
            }
            server = new UndertowSyncServer(config, sync, handler).start();
        } catch (IOException | RuntimeException e) {
            if (adminServer != null) {
                adminServer.close();
            }
            if (node != null) {
                node.close();
            }
            accounts.close();
            System.err.println("ankisyncd: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        UndertowAdminServer runningAdmin = adminServer;
        Shutdown.onTermination(() -> {
            if (runningAdmin != null) {
                runningAdmin.close();
            }
            server.shutdownGracefully(ops.shutdownTimeout());
            Logging.flush();
        });
        log.info(
                "listening on http://{}:{}/ with collections in {}",
                config.host(),
                server.port(),
                config.collectionsPath().toAbsolutePath().normalize());
        if (adminServer != null) {
            log.info("admin pages on http://{}:{}/", adminSettings.host(), adminServer.port());
        } else if (adminSettings.enabled()) {
            log.info(
                    "admin pages under http://{}:{}{}/",
                    config.host(),
                    server.port(),
                    adminSettings.path().get());
        }
    }

    /**
     * Throwaway syncs before the listener opens (see {@link Warmup}), over HTTP on
     * a loopback port of their own ({@link HttpWarmupChannel}), against a server
     * built as the real one is ({@link #build}: account database, login, metrics,
     * access line) in a temporary folder: the first devices then meet compiled
     * code instead of the interpreter. A failure only costs that head start, so
     * it is logged and the server starts anyway.
     */
    private static void warmUp(OpsSettings ops, Logger log) {
        if (ops.warmupSyncs() == 0) {
            return;
        }
        try {
            Warmup.Result done = Logging.withoutWarmupLines(() -> Warmup.run(
                    ops.warmupSyncs(),
                    Path.of(System.getProperty("java.io.tmpdir")),
                    HttpWarmupChannel::open,
                    (scratch, user, password) -> warmupServer(scratch, ops, user, password)));
            log.info(
                    "warmed up with {} throwaway syncs in {} ms",
                    done.committed(),
                    done.took().toMillis());
        } catch (Exception e) {
            log.warn("warm-up failed, starting without it: {}", e.toString());
        }
    }

    /**
     * The warm-up's server: the default account store (SQLite) with its one user
     * given as {@code SYNC_USER1}, collections and media in {@code scratch}, its
     * own metrics.
     */
    private static SyncServer warmupServer(Path scratch, OpsSettings ops, String user, String password) {
        Map<String, String> settings = Map.of(
                ServerConfig.COLLECTIONS_PATH, scratch.resolve("collections").toString(),
                ServerConfig.AUTH_DB_PATH, scratch.resolve("users.db").toString());
        ServerConfig config = ServerConfig.fromSettings(settings);
        Accounts accounts = Accounts.fromConfig(config, Map.of("SYNC_USER1", user + ":" + password));
        try {
            return build(
                    config,
                    ops,
                    accounts,
                    new ActivityLog(Clock.systemUTC()),
                    MediaSyncService.fromSettings(config, settings),
                    new PlacementGate(UserPlacement.SINGLE_NODE),
                    null);
        } catch (RuntimeException e) {
            accounts.close();
            throw e;
        }
    }

    /**
     * The server with accounts, media, readiness checks and metrics wired in; as one node of
     * several when {@code placement} is a cluster's (it decides who is served here; {@code node}
     * is closed with the server).
     */
    static SyncServer build(
            ServerConfig config,
            OpsSettings ops,
            Accounts accounts,
            SyncActivity activity,
            MediaSyncService media,
            PlacementGate placement,
            AutoCloseable node) {
        AtomicReference<SyncServer> built = new AtomicReference<>();
        SyncMetrics metrics =
                new SyncMetrics(() -> built.get() == null ? 0 : built.get().openSessions());
        Readiness readiness =
                new Readiness(config.collectionsPath(), ops.minFreeDiskBytes(), Readiness.FreeSpace.FILE_STORE, () -> {
                    accounts.users().exists("ankisyncd-readiness-probe");
                    return true;
                });
        SyncServer.Builder builder = accounts.applyTo(SyncServer.builder(config))
                .media(media.observedBy(metrics))
                .observer(metrics)
                .readiness(readiness)
                .metrics(new MetricsAccess(metrics, ops))
                .activity(activity)
                .placement(placement)
                // The quick steps of a sync are answered on the I/O thread that read them, with
                // no hand-off to a worker and back, when nothing on their path waits for the
                // network: local accounts, one node.
                .quickStepsWithoutWaiting(accounts.local() && node == null)
                .closeWith(metrics);
        if (node != null) {
            // Closed with the server, after its last request (the heartbeat stops, the pool closes).
            builder.closeWith(node);
        }
        SyncServer sync = builder.build();
        built.set(sync);
        return sync;
    }
}
