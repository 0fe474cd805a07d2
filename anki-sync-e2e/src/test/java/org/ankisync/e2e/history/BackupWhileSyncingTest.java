package org.ankisync.e2e.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.e2e.harness.LauncherCli;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.ServerContent;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --to DIR} while two users sync continuously (issue 12,
 * must-show 6): the backup's collections and media databases pass the
 * integrity check (and every media file the database lists is there with its
 * checksum); a second backup copies no unchanged media file again; and a
 * fresh server brought back with {@code restore-backup} lets every device of
 * both users sync on (the full-sync choice, then normal syncs), without an error.
 */
class BackupWhileSyncingTest {
    @TempDir
    Path temp;

    @Test
    void aBackupTakenDuringSyncsRestoresIntoAWorkingServer() throws Exception {
        String[][] users = {{TestUsers.ALICE, TestUsers.ALICE_PASSWORD}, {TestUsers.BOB, TestUsers.BOB_PASSWORD}};
        Path backup = temp.resolve("backup");
        List<PythonDevice> devices = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (OurServerProcess server = OurServerProcess.start(temp.resolve("server"), "256m", Map.of())) {
            for (int u = 0; u < 2; u++) {
                PythonDevice first = PythonDevice.open(temp.resolve(users[u][0] + "-1"));
                PythonDevice second = PythonDevice.open(temp.resolve(users[u][0] + "-2"));
                devices.add(first);
                devices.add(second);
                keys.add(first.login(server.endpoint(), users[u][0], users[u][1]));
                keys.add(second.login(server.endpoint(), users[u][0], users[u][1]));
                List<Map<String, Object>> files = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    files.add(Map.of("name", users[u][0] + " " + i + ".png", "size", 10_000 + i, "seed", u * 100 + i));
                }
                first.call("add_media", Map.of("files", files));
                first.call("add_notes", Map.of("count", 300, "deck", "Backup"));
                first.syncWithFull("upload", true);
                second.syncWithFull("download", true);
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Integer>> syncing = new ArrayList<>();
            for (int u = 0; u < 2; u++) {
                PythonDevice first = devices.get(2 * u);
                PythonDevice second = devices.get(2 * u + 1);
                syncing.add(CompletableFuture.supplyAsync(() -> {
                    int rounds = 0;
                    while (!stop.get() || rounds < 2) {
                        first.call("add_notes", Map.of("count", 5, "deck", "Round " + rounds));
                        first.call("review", Map.of("count", 5, "deck", "Backup"));
                        requireNoFullSync(first.syncWithFull(null, false));
                        requireNoFullSync(second.syncWithFull(null, false));
                        rounds++;
                    }
                    return rounds;
                }));
            }
            String firstRun = HistoryCli.run(server.environment(), "backup", "--to", backup.toString());
            String secondRun = HistoryCli.run(server.environment(), "backup", "--to", backup.toString());
            LauncherCli.Result refused = LauncherCli.run(server.environment(), "", "restore-backup", backup.toString());
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(
                    refused.output().contains("stop it first"),
                    "restore-backup beside a running server: " + refused.output());
            stop.set(true);
            int rounds = 0;
            for (CompletableFuture<Integer> f : syncing) {
                rounds += f.get(300, TimeUnit.SECONDS);
            }
            assertTrue(firstRun.startsWith("2 users;"), firstRun);
            // 30 media files per user: copied by the first run only
            assertTrue(
                    secondRun.contains(", 60 unchanged") || unchanged(secondRun) >= 60,
                    "media files are not copied again: " + secondRun);
            System.out.printf(
                    "backup during %d sync rounds: first %s; second %s%n", rounds, firstRun.strip(), secondRun.strip());
        }
        assertTrue(Files.isRegularFile(backup.resolve("BACKUP-COMPLETE")));
        for (String[] user : users) {
            Path folder = backup.resolve("collections").resolve(user[0]);
            assertTrue(ServerContent.ofFile(folder.resolve("collection.anki2")).length() > 0);
            assertTrue(ServerContent.checkMedia(folder) >= 1, "media database and files of " + user[0]);
        }

        Path fresh = temp.resolve("fresh");
        Files.createDirectories(fresh);
        Map<String, String> freshSettings = Map.of(
                "ANKISYNCD_COLLECTIONS_PATH",
                fresh.toString(),
                "ANKISYNCD_AUTH_DB_PATH",
                fresh.resolveSibling("users.db").toString());
        String restored = HistoryCli.run(withUsers(freshSettings), "restore-backup", backup.toString());
        assertTrue(restored.startsWith("2 users;"), restored);
        try (OurServerProcess server = OurServerProcess.start(fresh, "256m", Map.of())) {
            for (int i = 0; i < devices.size(); i++) {
                PythonDevice device = devices.get(i);
                device.call("set_auth", Map.of("endpoint", server.endpoint(), "hkey", keys.get(i)));
                JsonNode first = device.syncWithFull("download", true);
                assertEquals("full_sync", first.get("required").asText(), "device " + i + ": " + first);
                assertEquals(
                        "no_changes",
                        device.syncWithFull(null, true).get("required").asText());
            }
            devices.get(0).call("add_notes", Map.of("count", 2, "deck", "After restore"));
            requireNoFullSync(devices.get(0).syncWithFull(null, true));
            requireNoFullSync(devices.get(1).syncWithFull(null, true));
            assertEquals(ServerContent.ofDevice(devices.get(0)), ServerContent.ofDevice(devices.get(1)));
        } finally {
            devices.forEach(PythonDevice::close);
        }
    }

    /** A normal sync ran (the client reports what is left to do afterwards: nothing). */
    private static void requireNoFullSync(JsonNode reply) {
        assertEquals("none_or_normal", reply.get("performed").asText(), reply.toString());
        assertTrue(!reply.get("required").asText().startsWith("full"), reply.toString());
    }

    private static Map<String, String> withUsers(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(TestUsers.asEnvironment());
        all.putAll(settings);
        return all;
    }

    private static int unchanged(String report) {
        Matcher m = Pattern.compile("(\\d+) unchanged").matcher(report);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
