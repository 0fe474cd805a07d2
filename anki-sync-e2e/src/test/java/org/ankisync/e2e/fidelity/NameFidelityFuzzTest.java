package org.ankisync.e2e.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.e2e.harness.Venv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential name fuzzer ({@code src/test/python/name_fuzz.py}): decks, tags,
 * note types, fields and note text from hostile Unicode and HTML, applied by
 * several official-client devices through the official server and through ours,
 * must end in the same state on every device and on a fresh device's full download.
 *
 * <p>{@code -Dankisync.fuzz.examples=5000} runs the long mode; the normal run
 * generates {@value #DEFAULT_EXAMPLES} examples. A difference fails the test with
 * Hypothesis's minimal example; add it as an {@code @example} in the script.
 */
class NameFidelityFuzzTest {
    static final int DEFAULT_EXAMPLES = 200;
    /** Users in the pool; an example resets its user, so the pool is reused once exhausted. */
    private static final int USERS = 100;

    private static final String USER_PREFIX = "fuzz";
    private static final String PASSWORD = "fuzz-secret";

    @TempDir
    static Path temp;

    private static OfficialServer official;
    private static OurServer ours;

    @BeforeAll
    static void startServers() {
        Map<String, String> users = fuzzUsers();
        official = OfficialServer.start(temp.resolve("official-server"), users);
        ours = OurServer.start(temp.resolve("our-server"), users);
    }

    @AfterAll
    static void stopServers() {
        if (ours != null) {
            ours.close();
        }
        if (official != null) {
            official.close();
        }
    }

    /** The pool as SYNC_USERn variables, numbered after the {@link TestUsers} (both servers stop at a gap). */
    private static Map<String, String> fuzzUsers() {
        Map<String, String> users = new LinkedHashMap<>();
        int first = TestUsers.asEnvironment().size() + 1;
        for (int n = 1; n <= USERS; n++) {
            users.put("SYNC_USER" + (first + n - 1), USER_PREFIX + n + ":" + PASSWORD);
        }
        return users;
    }

    /** The issue scenarios and every difference found before, as fixed examples. */
    @Test
    void fixedExamplesAgree() {
        runFuzzer("fixed", 1);
    }

    @Test
    void generatedExamplesAgree() {
        runFuzzer("generated", Integer.getInteger("ankisync.fuzz.examples", DEFAULT_EXAMPLES));
    }

    private static void runFuzzer(String phases, int examples) {
        Path log = temp.resolve("name-fuzz-" + phases + ".log");
        List<String> command = new ArrayList<>(List.of(
                Venv.python().toString(),
                Venv.script("name_fuzz.py").toString(),
                "--official",
                official.endpoint(),
                "--ours",
                ours.endpoint(),
                "--user-prefix",
                USER_PREFIX,
                "--users",
                Integer.toString(USERS),
                "--password",
                PASSWORD,
                "--work",
                temp.resolve("fuzz-" + phases).toString(),
                "--examples",
                Integer.toString(examples),
                "--phases",
                phases));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(temp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
        builder.environment().put("no_proxy", "127.0.0.1,localhost");
        // Hypothesis keeps no example database: a difference is reported with its minimal example.
        builder.environment()
                .put("HYPOTHESIS_STORAGE_DIRECTORY", temp.resolve("hypothesis").toString());
        try {
            Process process = builder.start();
            // A safety net against a hung client, not a performance claim: far above any normal run.
            if (!process.waitFor(30L * 60 + 10L * examples, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the fuzzer did not finish:\n" + tail(log));
            }
            System.out.println(tail(log));
            assertEquals(0, process.exitValue(), () -> "official and our server differ:\n" + tail(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The end of the fuzzer's output: the minimal example, its notes and the differences. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
