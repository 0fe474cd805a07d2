package org.ankisync.admin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.ankisync.auth.Pbkdf2;

/**
 * {@code java -jar ankisyncd.jar admin hash-password [--password-stdin]}: prints the PBKDF2 PHC
 * hash to put in {@code ANKISYNCD_ADMIN_PASSWORD} or the file named by
 * {@code ANKISYNCD_ADMIN_PASSWORD_FILE}.
 */
public final class AdminCommand {
    public static final String USAGE = "usage: java -jar ankisyncd.jar admin hash-password [--password-stdin]";

    private AdminCommand() {}

    public static boolean isCommand(String[] args) {
        return args.length > 0 && args[0].equals("admin");
    }

    /** Returns the exit code: 0 done, 1 failed, 2 bad usage. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<String> rest = List.of(args).subList(1, args.length);
        boolean stdin = rest.contains("--password-stdin");
        if (rest.isEmpty() || !rest.get(0).equals("hash-password") || rest.size() > (stdin ? 2 : 1)) {
            err.println(USAGE);
            return 2;
        }
        String password;
        if (stdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    err.println("ankisyncd: no password on standard input");
                    return 1;
                }
                password = line;
            } catch (IOException e) {
                err.println("ankisyncd: cannot read standard input: " + e.getMessage());
                return 1;
            }
        } else {
            Console console = System.console();
            if (console == null) {
                err.println("ankisyncd: no terminal to ask for the password: use --password-stdin");
                return 2;
            }
            char[] first = console.readPassword("Admin password: ");
            char[] second = console.readPassword("Repeat the password: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                err.println("ankisyncd: the passwords differ");
                return 1;
            }
            password = new String(first);
        }
        out.println(Pbkdf2.hash(password));
        return 0;
    }
}
