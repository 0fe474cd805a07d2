package org.ankisync.e2e.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small tmpfs for disk tests: mounted, remounted read-only and back, unmounted (needs root, as CI runs). */
final class Mounts {
    private Mounts() {}

    static void tmpfs(Path where, int megabytes) {
        try {
            Files.createDirectories(where);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", where.toString());
    }

    static void readOnly(Path where, boolean readOnly) {
        run("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), where.toString());
    }

    static void unmount(Path where) {
        run("umount", where.toString());
    }

    private static void run(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(
                        String.join(" ", args) + " failed (the disk tests need root to mount a" + " tmpfs): " + output);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", args) + " cannot run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
