package org.ankisync.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, user plus system, from {@code /proc/<pid>/stat}
 * (fields 14 and 15, in clock ticks). It includes threads that have already
 * exited, so a difference taken around a timed part is all the server spent
 * on it. Ticks are coarse (10 ms at the usual 100 Hz), so the benchmark sums
 * differences over many operations before dividing.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = ticksPerSecond();

    private ProcessCpu() {}

    /** Seconds of CPU used so far by {@code pid}, or NaN if it cannot be read. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
