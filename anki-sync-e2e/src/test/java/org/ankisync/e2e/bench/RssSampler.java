package org.ankisync.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a process's resident set ({@code VmRSS} in {@code /proc/<pid>/status})
 * in a background thread until closed; for several processes (the nodes of a
 * cluster on one machine) each sample is the sum of their resident sets.
 */
final class RssSampler implements AutoCloseable {
    /** One sample: nanoseconds since the sampler started, resident set in KiB. */
    record Sample(long nanos, long rssKb) {}

    private final List<Path> statuses;
    private final long periodMillis;
    private final long start = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(long pid, long periodMillis) {
        this(List.of(pid), periodMillis);
    }

    RssSampler(List<Long> pids, long periodMillis) {
        this.statuses = pids.stream()
                .map(pid -> Path.of("/proc", Long.toString(pid), "status"))
                .toList();
        this.periodMillis = periodMillis;
        sample();
        this.thread = new Thread(this::loop, "rss-sampler-" + pids.get(0));
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        long kb = -1;
        for (Path status : statuses) {
            long one = read(status, "VmRSS:");
            if (one >= 0) {
                kb = Math.max(kb, 0) + one;
            }
        }
        if (kb >= 0) {
            synchronized (samples) {
                samples.add(new Sample(System.nanoTime() - start, kb));
            }
        }
    }

    /** A {@code kB} field of the status file, or -1 once the process is gone. */
    private static long read(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return -1;
    }

    /** The highest resident set seen, in KiB. */
    long peakKb() {
        synchronized (samples) {
            return samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The resident set at a fraction (0..1) of the sampled interval, in KiB. */
    long atFraction(double fraction) {
        List<Sample> all = samples();
        if (all.isEmpty()) {
            return 0;
        }
        long end = all.get(all.size() - 1).nanos();
        long target = (long) (end * fraction);
        Sample best = all.get(0);
        for (Sample s : all) {
            if (s.nanos() <= target) {
                best = s;
            }
        }
        return best.rssKb();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }
}
