package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's account command line as an administrator runs it:
 * {@code java -jar ankisyncd.jar user add NAME --password-stdin}, in its own
 * process, with the same settings as the server it manages.
 */
public final class LauncherCli {
    private LauncherCli() {}

    /** The outcome of one command. */
    public record Result(int exitCode, String output) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new IllegalStateException("command failed (" + exitCode + "): " + output);
            }
            return this;
        }
    }

    /** Runs {@code java -jar ankisyncd.jar <args>} with {@code settings} as its environment and {@code stdin}. */
    public static Result run(Map<String, String> settings, String stdin, String... args) {
        try {
            Process process = builder(settings, args).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("command did not finish: " + String.join(" ", args));
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a command without waiting for it (crash tests kill it); its output is discarded. */
    public static Process start(Map<String, String> settings, String... args) {
        try {
            return builder(settings, args)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessBuilder builder(Map<String, String> settings, String... args) {
        Path jar = Path.of(Venv.property("ankisyncd.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with mvn verify from the top");
        }
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("SYNC_USER") || k.startsWith("ANKISYNCD_"));
        builder.environment().putAll(settings);
        builder.redirectErrorStream(true);
        return builder;
    }

    /** Adds a user with the given password (read from standard input, as a script would). */
    public static void addUser(Map<String, String> settings, String user, String password) {
        run(settings, password + "\n", "user", "add", user, "--password-stdin").requireSuccess();
    }
}
