package org.ankisync.e2e.resilience;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability equal to the official server's: a commit that acknowledges
 * client data reaches the disk before the client is told it succeeded, so a
 * power cut (which a kill -9 does not simulate: the page cache survives it)
 * cannot lose reviews or media the client will never send again.
 *
 * <p>The launcher is watched with {@code strace} (Debian's package) while the
 * official client syncs reviews and media: the collection's WAL must be
 * fsynced during the normal sync, and the uploaded media file and the media
 * folder must be fsynced before the media database's commit is.
 */
class DurableCommitTest {
    private static final Pattern SYNC_CALL =
            Pattern.compile("^(\\d+)\\s+(\\d\\d:\\d\\d:\\d\\d\\.\\d+) (fsync|fdatasync)\\(\\d+<([^>]*)>\\)\\s+= 0");

    @TempDir
    Path temp;

    @Test
    void acknowledgedReviewsAndMediaAreFsyncedBeforeTheReply() throws Exception {
        Path data = temp.resolve("server");
        try (OurServerProcess server = OurServerProcess.start(data, "256m", Map.of());
                PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            a.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            a.call("add_notes", Map.of("count", 50, "deck", "Durable"));
            a.syncWithFull("upload", false);
            // One normal sync first: the first commit into a fresh WAL fsyncs its header
            // even without durable commits, which would hide their absence below.
            a.call("review", Map.of("count", 5, "deck", "Durable"));
            a.syncWithFull(null, false);
            a.call("review", Map.of("count", 10, "deck", "Durable"));
            a.call("add_media", Map.of("files", List.of(Map.of("name", "durable.bin", "size", 70_000, "seed", 7))));

            List<String> calls;
            try (Strace strace = Strace.attach(server.pid(), temp.resolve("trace.txt"))) {
                a.syncWithFull(null, false);
                a.call("sync_media");
                calls = strace.stop();
            }
            Path user = data.resolve(TestUsers.ALICE).toAbsolutePath();
            int walSync = indexOf(calls, user.resolve("collection.anki2-wal").toString());
            assertTrue(walSync >= 0, "the normal sync's commit fsynced the collection WAL: " + calls);

            int mediaDbSync = lastIndexOf(calls, user.resolve("media.db-wal").toString());
            assertTrue(mediaDbSync >= 0, "the media upload's commit fsynced the media database: " + calls);
            int fileSync = firstMatching(
                    calls,
                    path -> path.startsWith(user.toString())
                            && (path.endsWith(".tmp") || path.endsWith("durable.bin")));
            int folderSync = indexOf(calls, user.resolve("media").toString());
            assertTrue(
                    fileSync >= 0 && fileSync < mediaDbSync,
                    "the uploaded file was fsynced before the media commit: " + calls);
            assertTrue(
                    folderSync >= 0 && folderSync < mediaDbSync,
                    "the media folder (the file's rename) was fsynced before the media commit: " + calls);
        }
    }

    private static int indexOf(List<String> paths, String path) {
        return firstMatching(paths, path::equals);
    }

    private static int lastIndexOf(List<String> paths, String path) {
        for (int i = paths.size() - 1; i >= 0; i--) {
            if (paths.get(i).equals(path)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstMatching(List<String> paths, Predicate<String> test) {
        for (int i = 0; i < paths.size(); i++) {
            if (test.test(paths.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** strace attached to every thread of a running process, recording fsync and fdatasync with paths. */
    private static final class Strace implements AutoCloseable {
        private final Process process;
        private final Path output;

        private Strace(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        static Strace attach(long pid, Path output) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(
                            "strace",
                            "-f",
                            "-tt",
                            "-y",
                            "-e",
                            "trace=fsync,fdatasync",
                            "-o",
                            output.toString(),
                            "-p",
                            Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // strace reports each thread it attaches to; the process is watched once the first is.
            String line = log.readLine();
            if (line == null || !line.contains("attached")) {
                p.destroyForcibly();
                throw new IOException("strace could not attach to " + pid + ": " + line
                        + " (is Debian's strace installed, and ptrace allowed?)");
            }
            new Thread(() -> log.lines().forEach(l -> {}), "strace-log").start();
            Thread.sleep(500);
            return new Strace(p, output);
        }

        /** Detaches and returns the paths fsynced, in order. */
        List<String> stop() throws IOException, InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            List<String> paths = new ArrayList<>();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                Matcher m = SYNC_CALL.matcher(line);
                if (m.find()) {
                    paths.add(m.group(4));
                }
            }
            return paths;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
