package org.ankisync.undertow.history;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.ServerBackup;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.UserHistory;
import org.ankisync.media.MediaSyncService;
import org.ankisync.media.trash.ExportMedia;
import org.ankisync.media.trash.MediaTrash;

/**
 * The history command line of the launcher jar; every command works while the
 * server runs (each takes the user's file lock, which the server honours),
 * except {@code restore-backup}, which needs a stopped server.
 *
 * <pre>
 * java -jar ankisyncd.jar snapshot list USER
 * java -jar ankisyncd.jar snapshot create USER
 * java -jar ankisyncd.jar snapshot restore USER ID
 * java -jar ankisyncd.jar snapshot export USER ID --to FILE.colpkg
 * java -jar ankisyncd.jar media trash list USER
 * java -jar ankisyncd.jar media trash restore USER [NAME...]
 * java -jar ankisyncd.jar backup --to DIR
 * java -jar ankisyncd.jar restore-backup DIR
 * </pre>
 */
public final class HistoryCommand {
    private static final Set<String> COMMANDS = Set.of("snapshot", "media", "backup", "restore-backup");
    /** How long a restore waits for a running sync of the user to finish. */
    private static final long BUSY_WAIT_MILLIS = 120_000;

    public static final String USAGE = String.join(
            "\n",
            "usage: java -jar ankisyncd.jar COMMAND (works while the server runs, except restore-backup)",
            "  snapshot list USER                        one line per snapshot: ID, time, reason, counts",
            "  snapshot create USER                      take a snapshot now",
            "  snapshot restore USER ID                  put a snapshot in place (devices then get the full-sync choice)",
            "  snapshot export USER ID --to FILE.colpkg  write a snapshot as an Anki collection package",
            "  media trash list USER                     media files a sync deleted, newest first",
            "  media trash restore USER [NAME...]        put them back (all if no NAME); devices download them",
            "  backup --to DIR                           copy every user's data and the account database",
            "  restore-backup DIR                        bring a stopped server back from a backup");

    private final ServerConfig config;
    /** The merged settings, for the media store they choose (ANKISYNCD_MEDIA_STORE). */
    private final Map<String, String> settings;

    private final PrintStream out;

    private HistoryCommand(ServerConfig config, Map<String, String> settings, PrintStream out) {
        this.config = config;
        this.settings = settings;
        this.out = out;
    }

    /** Whether the launcher should run one of these commands rather than the server. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs a command; returns the process exit code (0 done, 1 failed, 2 bad usage or configuration). */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        ServerConfig config;
        Map<String, String> settings;
        try {
            settings = ServerConfig.settings(environment);
            config = ServerConfig.fromSettings(settings);
        } catch (ConfigException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 2;
        }
        try {
            return new HistoryCommand(config, settings, out).run(List.of(args), err);
        } catch (UsageException e) {
            err.println("ankisyncd: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ConfigException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 2;
        } catch (IOException
                | SQLException
                | UncheckedIOException
                | IllegalArgumentException
                | IllegalStateException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 1;
        }
    }

    private int run(List<String> args, PrintStream err) throws IOException, SQLException {
        String command = args.get(0);
        switch (command) {
            case "snapshot" -> snapshot(args);
            case "media" -> media(args);
            case "backup" -> {
                require(args.size() == 3 && args.get(1).equals("--to"), "backup --to DIR");
                ServerBackup.Report report = backup().backup(Path.of(args.get(2)));
                out.println(report.line());
            }
            case "restore-backup" -> {
                require(args.size() == 2, "restore-backup DIR");
                ServerBackup.Report report = backup().restore(Path.of(args.get(1)));
                out.println(report.line());
            }
            default -> throw new UsageException("unknown command " + command);
        }
        return 0;
    }

    private ServerBackup backup() {
        return new ServerBackup(config.collectionsPath(), config.authDbPath());
    }

    private void snapshot(List<String> args) throws IOException, SQLException {
        require(args.size() >= 2, "snapshot list|create|restore|export USER ...");
        String action = args.get(1);
        String usage = switch (action) {
            case "list", "create" -> "snapshot " + action + " USER";
            case "restore" -> "snapshot restore USER ID";
            case "export" -> "snapshot export USER ID --to FILE.colpkg";
            default -> throw new UsageException("unknown snapshot command " + action);
        };
        // the arguments first, then the user: a typo gets the usage, not a missing-user error
        require(
                args.size() == usage.split(" ").length
                        && (!action.equals("export") || args.get(4).equals("--to")),
                usage);
        UserHistory history = new UserHistory(config.collectionsPath(), config.history(), Clock.systemUTC());
        String user = args.get(2);
        switch (action) {
            case "list" -> {
                for (SnapshotInfo info : history.list(user)) {
                    out.println(info.line());
                }
            }
            case "create" -> {
                Optional<SnapshotInfo> taken = history.create(user, "ankisyncd", "local");
                out.println(taken.map(SnapshotInfo::line)
                        .orElse("nothing to snapshot: " + user + " has no notes or reviews"));
            }
            case "restore" -> {
                SnapshotInfo restored =
                        history.restore(user, args.get(3), "ankisyncd", "local", Duration.ofMillis(BUSY_WAIT_MILLIS));
                out.println("restored " + restored.line());
                out.println("every device of " + user + " is asked to choose a full sync at its next sync:"
                        + " choose Download there");
            }
            case "export" -> {
                String id = args.get(3);
                Path target = Path.of(args.get(5)).toAbsolutePath();
                if (history.find(user, id).isEmpty()) {
                    // before any media is copied (from S3, that can be much)
                    throw new NoSuchFileException("no snapshot " + id);
                }
                int media;
                // the server's media store: objects in S3 are copied for the export, then removed
                try (ExportMedia.Staged mediaFiles =
                        MediaSyncService.fromSettings(config, settings).exportMedia(user)) {
                    media = history.export(user, id, target, folder -> mediaFiles.files());
                }
                out.println("exported snapshot " + id + " with " + media + " media files to " + target);
            }
            default -> throw new UsageException("unknown snapshot command " + action);
        }
    }

    private void media(List<String> args) throws IOException, SQLException {
        require(
                args.size() >= 4 && args.get(1).equals("trash") && (args.get(2).equals("restore") || args.size() == 4),
                "media trash list|restore USER [NAME...]");
        String user = args.get(3);
        new UserHistory(config.collectionsPath(), config.history(), Clock.systemUTC()).userFolder(user);
        // the server's store: a trash restore puts files back where devices download them (S3 too)
        MediaSyncService media = MediaSyncService.fromSettings(config, settings);
        switch (args.get(2)) {
            case "list" -> {
                for (MediaTrash.Entry entry : media.trashList(user)) {
                    out.println(entry.line());
                }
            }
            case "restore" -> {
                List<String> restored = media.restoreFromTrash(user, args.subList(4, args.size()));
                for (String name : restored) {
                    out.println("restored " + name);
                }
                out.println(restored.size() + " files restored; devices download them at their next sync");
            }
            default -> throw new UsageException("unknown media trash command " + args.get(2));
        }
    }

    private static void require(boolean condition, String usage) {
        if (!condition) {
            throw new UsageException("usage: " + usage);
        }
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
