package org.ankisync.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ankisync.core.config.ConfigException;
import org.ankisync.core.config.ServerConfig;

/**
 * The account command line of the launcher jar:
 *
 * <pre>
 * java -jar ankisyncd.jar user add NAME [--password-stdin]
 * java -jar ankisyncd.jar user passwd NAME [--password-stdin]
 * java -jar ankisyncd.jar user remove NAME
 * java -jar ankisyncd.jar user list
 * java -jar ankisyncd.jar key list [NAME]
 * java -jar ankisyncd.jar key revoke ID... | --user NAME
 * </pre>
 *
 * It reads the same configuration as the server (environment and
 * {@code ankisyncd.conf}) and works on the same account database, so a running
 * server sees every change at its next request.
 */
public final class AccountsCommand {
    private static final Set<String> COMMANDS = Set.of("user", "key");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    public static final String USAGE = String.join(
            "\n",
            "usage: java -jar ankisyncd.jar [COMMAND]",
            "  (no command)                          run the server",
            "  user add NAME [--password-stdin]      add a user (password asked for, or one line on stdin)",
            "  user passwd NAME [--password-stdin]   change a password (logs the user's devices out)",
            "  user remove NAME                      remove a user and revoke their keys (keeps their data)",
            "  user list                             list users (SYNC_USERn users are marked)",
            "  key list [NAME]                       list issued host keys (logged-in devices)",
            "  key revoke ID... | --user NAME        revoke keys: that device must log in again",
            "The configuration (ANKISYNCD_AUTH_STORE, ANKISYNCD_AUTH_DB_PATH or ANKISYNCD_DATABASE_URL, ...)"
                    + " is read as by the server.");

    private final Map<String, String> environment;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    private AccountsCommand(Map<String, String> environment, InputStream in, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Whether the launcher should run a command rather than the server. */
    public static boolean isCommand(String[] args) {
        return args.length > 0
                && (COMMANDS.contains(args[0])
                        || args[0].equals("help")
                        || args[0].equals("--help")
                        || args[0].equals("-h"));
    }

    /** Runs a command; returns the process exit code (0 done, 1 failed, 2 bad usage or configuration). */
    public static int run(
            String[] args, Map<String, String> environment, InputStream in, PrintStream out, PrintStream err) {
        return new AccountsCommand(environment, in, out, err).run(List.of(args));
    }

    private int run(List<String> args) {
        if (args.isEmpty() || !COMMANDS.contains(args.get(0)) || args.size() < 2) {
            boolean help = !args.isEmpty() && !COMMANDS.contains(args.get(0));
            (help ? out : err).println(USAGE);
            return help ? 0 : 2;
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(environment);
        } catch (ConfigException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 2;
        }
        try (Accounts accounts = Accounts.fromConfig(config, environment)) {
            return dispatch(accounts, args.get(0), args.get(1), new ArrayList<>(args.subList(2, args.size())));
        } catch (ConfigException | UsageException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            err.println("ankisyncd: " + e.getMessage());
            return 1;
        }
    }

    private int dispatch(Accounts accounts, String area, String verb, List<String> rest) {
        String what = area + " " + verb;
        switch (what) {
            case "user add" -> {
                boolean stdin = rest.remove("--password-stdin");
                String name = single(rest, "user add NAME [--password-stdin]");
                String password = password(name, stdin);
                accounts.users().add(name, password);
                out.println("added user " + name);
                return 0;
            }
            case "user passwd" -> {
                boolean stdin = rest.remove("--password-stdin");
                String name = single(rest, "user passwd NAME [--password-stdin]");
                if (!accounts.users().exists(name)) {
                    err.println("ankisyncd: no user " + name);
                    return 1;
                }
                String password = password(name, stdin);
                if (!accounts.users().changePassword(name, password)) {
                    err.println("ankisyncd: no user " + name);
                    return 1;
                }
                out.println("changed the password of " + name + "; their devices must log in again");
                return 0;
            }
            case "user remove" -> {
                String name = single(rest, "user remove NAME");
                if (!accounts.users().remove(name)) {
                    err.println("ankisyncd: no user " + name);
                    return 1;
                }
                out.println("removed user " + name + " and revoked their keys (their collection folder is kept)");
                return 0;
            }
            case "user list" -> {
                none(rest, "user list");
                for (String name : accounts.users().list()) {
                    Optional<String> variable = accounts.environmentUsers().variableOf(name);
                    out.println(variable.map(v -> name + "\t(" + v + ")").orElse(name));
                }
                return 0;
            }
            case "key list" -> {
                Optional<String> user =
                        rest.isEmpty() ? Optional.empty() : Optional.of(single(rest, "key list [NAME]"));
                List<HostKeyRecord> records = accounts.keys().list(user);
                out.println("ID\tUSER\tCLIENT\tCREATED\tLAST USED\tLAST ADDRESS");
                for (HostKeyRecord r : records) {
                    out.println(r.id() + "\t" + r.user() + "\t" + dash(r.clientVersion()) + "\t"
                            + TIME.format(r.created().truncatedTo(ChronoUnit.MINUTES)) + "\t"
                            + TIME.format(r.lastUsed().truncatedTo(ChronoUnit.MINUTES)) + "\t" + dash(r.lastAddress()));
                }
                if (!accounts.environmentUsers().isEmpty()) {
                    out.println("(SYNC_USERn users can also use the official server's key, which is not listed and"
                            + " can only be revoked by changing the password in the variable)");
                }
                return 0;
            }
            case "key revoke" -> {
                if (rest.size() == 2 && rest.get(0).equals("--user")) {
                    int count = accounts.keys().revokeAll(rest.get(1));
                    out.println("revoked " + count + " key(s) of " + rest.get(1));
                    return 0;
                }
                if (rest.isEmpty()) {
                    throw new UsageException("usage: key revoke ID... | --user NAME");
                }
                int status = 0;
                for (String id : rest) {
                    long number;
                    try {
                        number = Long.parseLong(id);
                    } catch (NumberFormatException e) {
                        throw new UsageException("not a key id: " + id + " (see key list)");
                    }
                    if (accounts.keys().revoke(number)) {
                        out.println("revoked key " + number);
                    } else {
                        err.println("ankisyncd: no key " + number);
                        status = 1;
                    }
                }
                return status;
            }
            default -> throw new UsageException("unknown command '" + what + "'\n" + USAGE);
        }
    }

    private String password(String name, boolean fromStdin) {
        if (fromStdin) {
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line = reader.readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException("no password on standard input");
                }
                return line;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read standard input: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no terminal to ask for the password: use --password-stdin");
        }
        char[] first = console.readPassword("Password for %s: ", name);
        char[] second = console.readPassword("Repeat the password: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new IllegalArgumentException("the passwords differ");
        }
        return new String(first);
    }

    private static String single(List<String> rest, String usage) {
        if (rest.size() != 1 || rest.get(0).startsWith("--")) {
            throw new UsageException("usage: " + usage);
        }
        return rest.get(0);
    }

    private static void none(List<String> rest, String usage) {
        if (!rest.isEmpty()) {
            throw new UsageException("usage: " + usage);
        }
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
