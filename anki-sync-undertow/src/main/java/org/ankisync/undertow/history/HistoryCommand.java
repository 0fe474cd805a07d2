package org.ankisync.undertow.history;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ankisync.core.auth.UserNames;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;
import org.ankisync.core.history.ColpkgWriter;
import org.ankisync.core.history.ServerBackup;
import org.ankisync.core.history.SnapshotInfo;
import org.ankisync.core.history.Snapshots;
import org.ankisync.core.history.UserFolderLock;
import org.ankisync.media.MediaSyncService;
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
    static final String USAGE = String.join("\n",
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
    private final PrintStream out;

    private HistoryCommand(ServerConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Whether the launcher should run one of these commands rather than the server. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs a command; returns the process exit code (0 done, 1 failed, 2 bad usage or configuration). */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        ServerConfig config;
        try {
            config = ServerConfig.load(environment);
        } catch (ConfigException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 2;
        }
        try {
            return new HistoryCommand(config, out).run(List.of(args), err);
        } catch (UsageException e) {
            err.println("ankisyncd: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException | SQLException | UncheckedIOException | IllegalArgumentException
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
        require(args.size() == usage.split(" ").length && (!action.equals("export") || args.get(4).equals("--to")),
                usage);
        Path folder = userFolder(args.get(2), true);
        Snapshots snapshots = new Snapshots(config.history(), Clock.systemUTC());
        switch (action) {
            case "list" -> {
                for (SnapshotInfo info : snapshots.list(folder)) {
                    out.println(info.line());
                }
            }
            case "create" -> {
                Optional<SnapshotInfo> taken;
                try (UserFolderLock.Held lock = UserFolderLock.acquire(folder, UserFolderLock.Part.COLLECTION)) {
                    taken = snapshots.take(folder, SnapshotInfo.MANUAL, "ankisyncd", "local");
                }
                out.println(taken.map(SnapshotInfo::line)
                        .orElse("nothing to snapshot: " + args.get(2) + " has no notes or reviews"));
            }
            case "restore" -> {
                SnapshotInfo restored = restoreWhenIdle(snapshots, folder, args.get(3));
                out.println("restored " + restored.line());
                out.println("every device of " + args.get(2) + " is asked to choose a full sync at its next sync:"
                        + " choose Download there");
            }
            case "export" -> {
                String id = args.get(3);
                snapshots.find(folder, id).orElseThrow(() -> new NoSuchFileException("no snapshot " + id));
                Path target = Path.of(args.get(5)).toAbsolutePath();
                Files.createDirectories(target.getParent());
                Path collection = Files.createTempFile(target.getParent(), ".export-", ".anki2");
                try {
                    Files.delete(collection);
                    snapshots.decompress(folder, id, collection);
                    int media = ColpkgWriter.write(collection, folder.resolve("media"), target);
                    out.println("exported snapshot " + id + " with " + media + " media files to " + target);
                } finally {
                    Files.deleteIfExists(collection);
                }
            }
            default -> throw new UsageException("unknown snapshot command " + action);
        }
    }

    /** A sync that holds a write transaction open makes the restore wait (without holding the lock) and retry. */
    private SnapshotInfo restoreWhenIdle(Snapshots snapshots, Path folder, String id)
            throws IOException, SQLException {
        long deadline = System.currentTimeMillis() + BUSY_WAIT_MILLIS;
        while (true) {
            try (UserFolderLock.Held lock = UserFolderLock.acquire(folder, UserFolderLock.Part.COLLECTION)) {
                return snapshots.restore(folder, id, "ankisyncd", "local");
            } catch (Snapshots.CollectionBusyException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("a sync of this user kept the collection busy for "
                            + BUSY_WAIT_MILLIS / 1000 + " s; try again: " + e.getMessage());
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    private void media(List<String> args) throws IOException, SQLException {
        require(args.size() >= 4 && args.get(1).equals("trash")
                && (args.get(2).equals("restore") || args.size() == 4), "media trash list|restore USER [NAME...]");
        String user = args.get(3);
        userFolder(user, true);
        MediaSyncService media = MediaSyncService.onFileSystem(config.collectionsPath(), config.history());
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

    /** The user's folder below the collections path; a user name cannot reach outside it. */
    private Path userFolder(String user, boolean mustExist) throws NoSuchFileException {
        if (!UserNames.isValid(user)) {
            throw new IllegalArgumentException("not a valid user name: " + user);
        }
        Path root = config.collectionsPath().toAbsolutePath().normalize();
        Path folder = root.resolve(user).normalize();
        if (!root.equals(folder.getParent())) {
            throw new IllegalArgumentException("not a valid user name: " + user);
        }
        if (mustExist && !Files.isDirectory(folder)) {
            throw new NoSuchFileException("no data for user " + user + " in " + root);
        }
        return folder;
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
