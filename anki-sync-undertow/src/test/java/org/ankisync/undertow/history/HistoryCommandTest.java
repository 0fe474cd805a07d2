package org.ankisync.undertow.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the history commands: a clear message and the right exit code, nothing touched. */
class HistoryCommandTest {
    @TempDir
    Path temp;

    private record Outcome(int code, String out, String err) {}

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = Map.of(
                "ANKISYNCD_COLLECTIONS_PATH",
                temp.resolve("data").toString(),
                "ANKISYNCD_AUTH_DB_PATH",
                temp.resolve("users.db").toString(),
                "ANKISYNCD_CONFIG",
                temp.resolve("none.conf").toString());
        int code = HistoryCommand.run(
                args,
                environment,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void recognisesItsCommandsOnly() {
        assertTrue(HistoryCommand.isCommand(new String[] {"snapshot", "list", "x"}));
        assertTrue(HistoryCommand.isCommand(new String[] {"restore-backup", "d"}));
        assertTrue(!HistoryCommand.isCommand(new String[] {"user", "list"}));
        assertTrue(!HistoryCommand.isCommand(new String[] {}));
    }

    @Test
    void badUsageExitsWithTwoAndTheUsage() throws Exception {
        Files.writeString(temp.resolve("none.conf"), "");
        Outcome o = run("snapshot", "restore", "alice");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("usage: snapshot restore USER ID"), o.err());
        assertEquals(2, run("media", "bin", "list", "alice").code());
        assertEquals(2, run("backup", "somewhere").code());
    }

    @Test
    void unknownUsersAndIdsAreRefusedWithoutCreatingAnything() throws Exception {
        Files.writeString(temp.resolve("none.conf"), "");
        Outcome o = run("snapshot", "list", "nobody");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("no data for user nobody"), o.err());
        assertEquals(1, run("snapshot", "list", "../etc").code());
        assertTrue(Files.notExists(temp.resolve("data").resolve("nobody")));
        Files.createDirectories(temp.resolve("data").resolve("alice"));
        Outcome badId = run("snapshot", "restore", "alice", "../../x");
        assertEquals(1, badId.code());
        assertTrue(badId.err().contains("no snapshot ../../x"), badId.err());
        assertEquals(
                1,
                run("restore-backup", temp.resolve("not-a-backup").toString()).code());
    }
}
