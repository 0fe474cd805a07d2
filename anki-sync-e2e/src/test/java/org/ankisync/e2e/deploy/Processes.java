package org.ankisync.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Running the Debian tools the deployment tests drive (openssl, nginx, podman, ...). */
final class Processes {
    private Processes() {}

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {}

    /** Runs a command to its end (at most 30 minutes); fails unless it exits with 0. */
    static String run(Path directory, String... command) {
        Result result = exec(directory, Map.of(), List.of(command));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** Runs a command to its end (at most 30 minutes) with extra environment variables. */
    static Result exec(Path directory, Map<String, String> environment, List<String> command) {
        return exec(directory, environment, command, "");
    }

    /** The same, with {@code input} on the command's standard input. */
    static Result exec(Path directory, Map<String, String> environment, List<String> command, String input) {
        requireTool(command.get(0));
        try {
            Path output = Files.createTempFile("command", ".log");
            Path stdin = Files.createTempFile("command", ".in");
            try {
                Files.writeString(stdin, input);
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(stdin.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(30, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 minutes");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(stdin);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails (does not skip) when a tool the test needs is not installed, naming
     * the package: .ci/run installs them.
     */
    static void requireTool(String tool) {
        if (tool.contains("/")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing (.ci/run installs what the tests need)");
            }
            return;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new IllegalStateException(tool + " is not installed (.ci/run installs what the tests need)");
    }
}
