package org.ankisync.undertow;

import java.util.List;
import java.util.Set;
import org.ankisync.admin.AdminCommand;
import org.ankisync.auth.AccountsCommand;
import org.ankisync.cluster.NodeCommand;
import org.ankisync.undertow.history.HistoryCommand;

/**
 * Which command the launcher's arguments ask for, strictly: an unknown command
 * or option is a usage error (exit status 2) rather than a server started on
 * the default port by mistake. {@code --help} and {@code --version} work with
 * every command.
 */
final class CommandLine {
    static final String USAGE = String.join(
            "\n",
            "usage: java -jar ankisyncd.jar [COMMAND] [OPTIONS]",
            "  (no command), serve                   run the server (configuration: environment, ankisyncd.conf)",
            "  user ..., key ...                     manage accounts (java -jar ankisyncd.jar user --help)",
            "  snapshot ..., media trash ...,        history: snapshots, media trash, whole-server backups",
            "  backup ..., restore-backup ...        (java -jar ankisyncd.jar snapshot --help)",
            "  node list|move|drain|activate     several nodes: the directory, moving users (node --help)",
            "  admin hash-password                   a PHC hash for ANKISYNCD_ADMIN_PASSWORD (reads the password)",
            "  doctor [--endpoint URL]               check the configuration, and with --endpoint the path",
            "                                        through a reverse proxy that users will type into Anki",
            "  --help                                this text (or a command's: COMMAND --help)",
            "  --version                             the version");
    static final String SERVE_USAGE = String.join(
            "\n",
            "usage: java -jar ankisyncd.jar [serve]",
            "Runs the server. It takes no options: every setting is an ANKISYNCD_* variable",
            "(environment or ankisyncd.conf, see the README). SIGTERM or Ctrl-C shut it down gracefully.");
    static final String DOCTOR_USAGE = String.join(
            "\n",
            "usage: java -jar ankisyncd.jar doctor [--endpoint URL]",
            "Reads the configuration as the server would and checks it: folders, port, account store,",
            "users, disk space. With --endpoint (the address users type into Anki, e.g.",
            "https://anki.example.com/) it also tests the whole path through a reverse proxy:",
            "/health, a 100 MB body, a chunked upload, the anki-original-size header, the trailing slash.",
            "Prints one line per problem with its fix; exit status 0 when all checks pass, 1 otherwise.");

    /** What to do. */
    enum Kind {
        SERVE,
        ACCOUNTS,
        HISTORY,
        ADMIN,
        NODE,
        DOCTOR,
        HELP,
        VERSION,
        USAGE_ERROR
    }

    /**
     * @param kind what to do
     * @param args the arguments for it (the accounts or history command's whole list, doctor's options)
     * @param text what to print for {@code HELP} and {@code USAGE_ERROR}
     */
    record Parsed(Kind kind, List<String> args, String text) {}

    private static final Set<String> HELP = Set.of("--help", "-h", "help");

    private CommandLine() {}

    static Parsed parse(String[] raw) {
        List<String> args = List.of(raw);
        if (args.contains("--version")) {
            return new Parsed(Kind.VERSION, List.of(), "");
        }
        if (args.isEmpty()) {
            return new Parsed(Kind.SERVE, List.of(), "");
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        boolean help = rest.stream().anyMatch(HELP::contains);
        switch (command) {
            case "--help", "-h", "help":
                return new Parsed(Kind.HELP, List.of(), USAGE);
            case "serve":
                if (help) {
                    return new Parsed(Kind.HELP, List.of(), SERVE_USAGE);
                }
                return rest.isEmpty()
                        ? new Parsed(Kind.SERVE, List.of(), "")
                        : error("serve takes no options: '" + rest.get(0) + "'", SERVE_USAGE);
            case "user", "key":
                return help
                        ? new Parsed(Kind.HELP, List.of(), AccountsCommand.USAGE)
                        : new Parsed(Kind.ACCOUNTS, args, "");
            case "snapshot", "media", "backup", "restore-backup":
                return help
                        ? new Parsed(Kind.HELP, List.of(), HistoryCommand.USAGE)
                        : new Parsed(Kind.HISTORY, args, "");
            case "admin":
                return help ? new Parsed(Kind.HELP, List.of(), AdminCommand.USAGE) : new Parsed(Kind.ADMIN, args, "");
            case "node":
                return help ? new Parsed(Kind.HELP, List.of(), NodeCommand.USAGE) : new Parsed(Kind.NODE, args, "");
            case "doctor":
                return help ? new Parsed(Kind.HELP, List.of(), DOCTOR_USAGE) : doctor(rest);
            default:
                return error(
                        (command.startsWith("-") ? "unknown option '" : "unknown command '") + command + "'", USAGE);
        }
    }

    private static Parsed doctor(List<String> rest) {
        if (rest.isEmpty()) {
            return new Parsed(Kind.DOCTOR, List.of(), "");
        }
        if (rest.size() == 2 && rest.get(0).equals("--endpoint")) {
            return new Parsed(Kind.DOCTOR, List.of(rest.get(1)), "");
        }
        if (rest.size() == 1 && rest.get(0).startsWith("--endpoint=")) {
            return new Parsed(Kind.DOCTOR, List.of(rest.get(0).substring("--endpoint=".length())), "");
        }
        return error("doctor: unexpected '" + String.join(" ", rest) + "'", DOCTOR_USAGE);
    }

    private static Parsed error(String problem, String usage) {
        return new Parsed(Kind.USAGE_ERROR, List.of(), "ankisyncd: " + problem + "\n" + usage);
    }

    /** The version from the jar's manifest ({@code Implementation-Version}); "development" outside the jar. */
    static String version() {
        String version = CommandLine.class.getPackage().getImplementationVersion();
        return "ankisyncd " + (version == null ? "development" : version);
    }
}
