package org.ankisync.e2e.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ankisync.e2e.harness.LauncherCli;
import org.junit.jupiter.api.Test;

/**
 * The launcher jar's command line is strict: an unknown command or option
 * prints the usage and exits 2 (it used to start a server on the default
 * port); --help and --version work with every command.
 */
class StrictCommandLineTest {
    private static final Map<String, String> SETTINGS = Map.of("ANKISYNCD_PORT", "1");

    @Test
    void unknownCommandsAndOptionsExit2WithTheUsage() {
        for (String[] args : new String[][] {
            {"bogus"}, {"--port", "8080"}, {"serve", "--verbose"}, {"doctor", "--endpont", "http://x/"}
        }) {
            LauncherCli.Result result = LauncherCli.run(SETTINGS, "", args);
            assertEquals(2, result.exitCode(), String.join(" ", args) + ": " + result.output());
            assertTrue(result.output().contains("usage: java -jar ankisyncd.jar"), result.output());
        }
    }

    @Test
    void helpAndVersionWorkWithEveryCommand() {
        for (String command : new String[] {"serve", "user", "key", "doctor"}) {
            LauncherCli.Result help = LauncherCli.run(SETTINGS, "", command, "--help");
            assertEquals(0, help.exitCode(), command + " --help: " + help.output());
            assertTrue(help.output().startsWith("usage: java -jar ankisyncd.jar"), help.output());
            LauncherCli.Result version = LauncherCli.run(SETTINGS, "", command, "--version");
            assertEquals(0, version.exitCode(), command + " --version: " + version.output());
            assertTrue(version.output().matches("ankisyncd \\d+\\.\\d+\\.\\d+.*\\s*"), version.output());
        }
    }
}
