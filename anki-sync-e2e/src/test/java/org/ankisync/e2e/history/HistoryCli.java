package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.harness.LauncherCli;

/** The launcher's history commands, run as an administrator would, beside the server. */
final class HistoryCli {
    private HistoryCli() {}

    /** One line of {@code snapshot list}, split into its ID, reason and counts. */
    record Listed(String id, String time, String reason, long notes, long cards, long revlog, String line) {
        static Listed parse(String line) {
            String[] words = line.trim().split("\\s+");
            return new Listed(
                    words[0],
                    words[1],
                    words[2],
                    number(line, "notes"),
                    number(line, "cards"),
                    number(line, "revlog"),
                    line);
        }

        private static long number(String line, String key) {
            int at = line.indexOf(" " + key + "=");
            assertTrue(at >= 0, "no " + key + " in: " + line);
            String rest = line.substring(at + key.length() + 2);
            return Long.parseLong(rest.split("\\s")[0]);
        }
    }

    static String run(Map<String, String> settings, String... args) {
        return LauncherCli.run(settings, "", args).requireSuccess().output();
    }

    static List<Listed> list(Map<String, String> settings, String user) {
        List<Listed> listed = new ArrayList<>();
        for (String line : run(settings, "snapshot", "list", user).split("\n")) {
            if (!line.isBlank() && !line.startsWith("SLF4J")) {
                listed.add(Listed.parse(line));
            }
        }
        return listed;
    }
}
