package org.ankisync.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.ankisync.e2e.cluster.ThreeNodeCluster;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServerProcess;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.Venv;

/**
 * The benchmark of issue 8: the same workloads, driven by the official client
 * ({@link PythonDevice}, and {@code bench_crowd.py} for P6), against our server
 * (the launcher jar as a process) and the official one ({@code python -m
 * anki.syncserver}), alternating ours, official, ours, official... Every trial
 * gets fresh servers and devices; logins and preparation are outside the timed
 * part. Reports per workload the median time of each, the ratio ours / official,
 * and each server's peak resident set during the timed parts.
 *
 * <p>Run: {@code mvn -pl anki-sync-e2e -am verify -Pbench -Dbench.mode=quick|full}
 * (see the README). System properties: {@code bench.mode} (smoke, quick, full),
 * {@code bench.only} (e.g. {@code P1,P4}), {@code bench.work} (scratch folder),
 * {@code bench.repo} (where full mode writes BENCHMARKS.md and updates the README),
 * {@code bench.jfr} (a folder: our server records a JFR file per trial there).
 *
 * <p>P11 compares our server with itself, not with the official one: the P6 load on a
 * cluster of three nodes (the "ours" side of a {@link Result}) and on a cluster of one
 * node configured the same way (the other side); see {@link Result#label}.
 */
public final class Benchmark {
    public enum Mode {
        SMOKE,
        QUICK,
        FULL
    }

    /** The sizes of one mode. */
    record Sizes(
            int rounds,
            int p1Notes,
            int p1Reps,
            int p1WarmupReps,
            int bigNotes,
            int p4Cards,
            int p5Files,
            int p5FileBytes,
            int p6Users,
            int p6Syncs,
            int p6Notes,
            long p7Bytes,
            int p7Rounds,
            int p9Users,
            int p9Rounds) {
        static Sizes of(Mode mode) {
            return switch (mode) {
                case SMOKE -> new Sizes(1, 20, 1, 1, 200, 100, 10, 10_000, 3, 2, 20, 2L << 20, 1, 3, 1);
                case QUICK -> new Sizes(3, 300, 3, 15, 10_000, 4_000, 200, 100_000, 16, 3, 50, 64L << 20, 1, 40, 2);
                case FULL ->
                    new Sizes(5, 1_000, 5, 40, 50_000, 20_000, 1_000, 100_000, 32, 5, 50, 300L << 20, 1, 100, 3);
            };
        }
    }

    enum Side {
        OURS("ours"),
        OFFICIAL("official");
        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    /** What one workload measured. */
    static final class Result {
        final String id;
        final String title;
        final String size;
        final Map<Side, List<Double>> seconds = new LinkedHashMap<>();
        final Map<Side, Long> peakKb = new LinkedHashMap<>();
        /** Per side: server CPU seconds and the number of operations they were spent on (recorded rounds). */
        final Map<Side, double[]> cpu = new LinkedHashMap<>();

        final List<String> notes = new ArrayList<>();
        String unit = "s";
        /** P6: throughput (higher is better) is reported; the ratio is of time per sync. */
        boolean throughput;

        String oursHeap;
        /** What each side is, when not our server and the official one (P11: 3 nodes, 1 node). */
        private final Map<Side, String> labels = new LinkedHashMap<>();

        Result(String id, String title, String size) {
            this.id = id;
            this.title = title;
            this.size = size;
            for (Side side : Side.values()) {
                seconds.put(side, new ArrayList<>());
                peakKb.put(side, 0L);
                cpu.put(side, new double[2]);
            }
        }

        /** Adds the server CPU spent on {@code operations} syncs (or uploads, downloads...) of a recorded round. */
        void cpu(Side side, double cpuSeconds, int operations) {
            if (recording && !Double.isNaN(cpuSeconds)) {
                cpu.get(side)[0] += cpuSeconds;
                cpu.get(side)[1] += operations;
            }
        }

        /** Server CPU seconds per operation, or NaN if none was recorded. */
        double cpuPerOperation(Side side) {
            double[] c = cpu.get(side);
            return c[1] == 0 ? Double.NaN : c[0] / c[1];
        }

        String cpuColumn() {
            double ours = cpuPerOperation(Side.OURS);
            double official = cpuPerOperation(Side.OFFICIAL);
            String text = labels.isEmpty()
                    ? cpuText(ours) + " / " + cpuText(official)
                    : label(Side.OURS) + " " + cpuText(ours) + " / " + label(Side.OFFICIAL) + " " + cpuText(official);
            return Double.isNaN(ours) || Double.isNaN(official) || official == 0
                    ? text
                    : text + String.format(Locale.ROOT, " (%.2f×)", ours / official);
        }

        static String cpuText(double s) {
            return Double.isNaN(s)
                    ? "n/a"
                    : s < 1 ? String.format(Locale.ROOT, "%.1f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
        }

        /** Names the sides of this workload (their values are then shown with the name). */
        void label(Side side, String label) {
            labels.put(side, label);
        }

        String label(Side side) {
            return labels.getOrDefault(side, side.label);
        }

        /** The value with the side's name in front (once). */
        String named(Side side) {
            return labels.containsKey(side) ? value(side) : side.label + " " + value(side);
        }

        /** False during the warm-up round: nothing is recorded. */
        boolean recording = true;

        void add(Side side, double value, long peak) {
            if (recording) {
                seconds.get(side).add(value);
            }
            peak(side, peak);
        }

        void peak(Side side, long kb) {
            if (recording) {
                peakKb.merge(side, kb, Math::max);
            }
        }

        double median(Side side) {
            return Benchmark.median(seconds.get(side));
        }

        /** Both servers measured (P7, ours only by design, needs only ours). */
        boolean complete() {
            return !seconds.get(Side.OURS).isEmpty()
                    && (id.equals("P7") || !seconds.get(Side.OFFICIAL).isEmpty());
        }

        String ratio() {
            if (seconds.get(Side.OURS).isEmpty() || seconds.get(Side.OFFICIAL).isEmpty()) {
                return "n/a";
            }
            double ours = median(Side.OURS);
            double official = median(Side.OFFICIAL);
            double ratio = throughput ? official / ours : ours / official;
            return String.format(Locale.ROOT, "%.2f×", ratio);
        }

        String value(Side side) {
            if (seconds.get(side).isEmpty()) {
                return "failed";
            }
            double v = median(side);
            String text = throughput ? String.format(Locale.ROOT, "%.1f syncs/s", v) : seconds(v);
            return labels.containsKey(side) ? labels.get(side) + ": " + text : text;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OURS_HEAP = "256m";
    /** Users defined on both servers: enough for the largest crowd (P9). */
    private static final int USERS = 100;

    private final Mode mode;
    private final Sizes sizes;
    private final Path work;
    private final Path templates;
    private final Set<String> only;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Map<String, String> usersEnvironment = new LinkedHashMap<>();
    private int trial;
    /** The workloads done so far in this run (P11 quotes P6). */
    private final List<Result> done = new ArrayList<>();

    public Benchmark(Mode mode, Path work, Set<String> only) {
        this.mode = mode;
        this.sizes = Sizes.of(mode);
        this.work = work;
        this.templates = work.resolveSibling("bench-templates");
        this.only = only;
        // USERS users for both servers, passwords as cheap PBKDF2 hashes (logins are not measured,
        // and the official server would otherwise hash each plain password with 600,000 rounds at start-up).
        for (int i = 1; i <= USERS; i++) {
            String name = "user" + i;
            String password = "password-" + i;
            users.put(name, password);
            usersEnvironment.put("SYNC_USER" + i, name + ":" + phc(password, 1000));
        }
        usersEnvironment.put("PASSWORDS_HASHED", "1");
    }

    public static void main(String[] args) throws Exception {
        Mode mode = Mode.valueOf(System.getProperty("bench.mode", args.length > 0 ? args[0] : "quick")
                .toUpperCase(Locale.ROOT));
        Path work = Path.of(System.getProperty("bench.work", "target/bench")).toAbsolutePath();
        Set<String> only = parseOnly(System.getProperty("bench.only", ""));
        Benchmark benchmark = new Benchmark(mode, work.resolve(mode.name().toLowerCase(Locale.ROOT)), only);
        long started = System.nanoTime();
        String load = loadAverage();
        List<Result> results = benchmark.runAll();
        String report = benchmark.report(results, load, loadAverage(), (System.nanoTime() - started) / 1e9);
        System.out.println(report);
        Files.createDirectories(work);
        Path file = work.resolve("results-" + mode.name().toLowerCase(Locale.ROOT) + ".md");
        Files.writeString(file, report);
        System.out.println("written to " + file);
        String repo = System.getProperty("bench.repo");
        if (mode == Mode.FULL && repo != null && only.isEmpty()) {
            Path committed = Path.of(repo).resolve("BENCHMARKS.md");
            Files.writeString(committed, report);
            updateReadme(Path.of(repo).resolve("README.md"), table(results));
            System.out.println("written to " + committed + " and the README's table updated");
        }
        boolean failed = results.stream().anyMatch(r -> !r.complete());
        System.exit(failed ? 1 : 0);
    }

    static Set<String> parseOnly(String value) {
        return Stream.of(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    /** Runs every selected workload; a workload that throws is reported, and the others still run. */
    public List<Result> runAll() throws IOException {
        deleteTree(work);
        Files.createDirectories(work);
        Files.createDirectories(templates);
        List<Result> results = done;
        results.clear();
        record Workload(String id, Supplier<Result> body) {}
        List<Workload> workloads = List.of(
                new Workload("P1", this::p1),
                new Workload("P2", this::p2),
                new Workload("P3", this::p3),
                new Workload("P4", this::p4),
                new Workload("P5", this::p5),
                new Workload("P6", this::p6),
                new Workload("P7", this::p7),
                new Workload("P8", this::p8),
                new Workload("P9", this::p9),
                new Workload("P10", this::p10),
                new Workload("P11", this::p11));
        for (Workload w : workloads) {
            if (!only.isEmpty() && !only.contains(w.id())) {
                continue;
            }
            log("=== " + w.id());
            long t0 = System.nanoTime();
            Result result = w.body().get();
            log("=== " + w.id() + " done in " + seconds((System.nanoTime() - t0) / 1e9) + ": " + result.named(Side.OURS)
                    + ", " + result.named(Side.OFFICIAL) + ", " + result.ratio());
            results.add(result);
        }
        return results;
    }

    // ------------------------------------------------------------------ workloads

    /** P1: 10 reviews and 2 note edits, one normal sync; several syncs per trial. */
    private Result p1() {
        Result r = new Result(
                "P1",
                "small incremental sync (10 reviews + 2 edits), warm JVM",
                sizes.p1Notes() + "-note collection, " + sizes.p1Reps() + " syncs per round after "
                        + sizes.p1WarmupReps() + " warm-up syncs");
        Path template = smallTemplate(sizes.p1Notes());
        rounds(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), template, server, user)) {
                sync(a, "upload", "full_upload");
                List<Long> nids = PythonDevice.longs(a.run("result = sorted(col.find_notes(''))"));
                // The warm-up round syncs more often: a long-running server has served many syncs.
                smallSyncs(r, side, server, a, nids, r.recording ? sizes.p1Reps() : sizes.p1WarmupReps());
            }
        });
        return r;
    }

    /** {@code reps} times: 10 reviews and 2 note edits, then a normal sync, timed with the server's CPU. */
    private static void smallSyncs(Result r, Side side, Server server, PythonDevice a, List<Long> nids, int reps) {
        try (RssSampler rss = server.sample()) {
            for (int rep = 0; rep < reps; rep++) {
                a.call("review", Map.of("count", 10, "deck", "Bench"));
                a.call("edit_notes", Map.of("nids", List.of(nids.get(2 * rep), nids.get(2 * rep + 1))));
                double cpu0 = server.cpuSeconds();
                long t0 = System.nanoTime();
                sync(a, null, "none_or_normal");
                r.add(side, (System.nanoTime() - t0) / 1e9, 0);
                r.cpu(side, server.cpuSeconds() - cpu0, 1);
            }
            r.peak(side, rss.peakKb());
        }
    }

    /** P2: a full upload of the big collection. */
    private Result p2() {
        Result r = new Result("P2", "full upload", sizes.bigNotes() + " notes");
        Path template = bigTemplate(sizes.bigNotes());
        rounds(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), template, server, user)) {
                timed(r, side, server, () -> sync(a, "upload", "full_upload"));
            }
        });
        r.notes.add(sizeOf(template.resolve("collection.anki2")) + " collection file");
        return r;
    }

    /**
     * P10: a full upload that replaces the big collection on the server. Ours first takes its
     * automatic snapshot of the collection being replaced (the official server keeps nothing);
     * the snapshot's size on disk is reported beside the collection's.
     */
    private Result p10() {
        Result r = new Result(
                "P10",
                "full upload replacing a collection (ours: automatic snapshot first)",
                sizes.bigNotes() + " notes");
        Path template = bigTemplate(sizes.bigNotes());
        long[] snapshotBytes = {0, 0};
        rounds(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), template, server, user)) {
                sync(a, "upload", "full_upload");
                // A schema change: the next sync must be a full one, and the device chooses upload.
                a.run("col.set_schema_modified()\ncol.decks.id('Replaced')\nresult = None");
                timed(r, side, server, () -> sync(a, "upload", "full_upload"));
                if (side == Side.OURS) {
                    Path snapshots = server.dataDir().resolve(user).resolve("snapshots");
                    long stored = 0;
                    try (Stream<Path> files = Files.list(snapshots)) {
                        for (Path f : files.filter(f -> f.toString().endsWith(".anki2.zst"))
                                .toList()) {
                            stored = Files.size(f);
                        }
                    }
                    expect(1, stored > 0 ? 1 : 0, "a snapshot before the upload");
                    snapshotBytes[0] = stored;
                    snapshotBytes[1] = Files.size(template.resolve("collection.anki2"));
                }
            }
        });
        if (snapshotBytes[1] > 0) {
            r.notes.add(String.format(
                    Locale.ROOT,
                    "snapshot on disk: %s for a %s collection file (%.0f%%)",
                    megabytes(snapshotBytes[0]),
                    megabytes(snapshotBytes[1]),
                    100.0 * snapshotBytes[0] / snapshotBytes[1]));
        }
        return r;
    }

    /** P3: a full download of the big collection into an empty device. */
    private Result p3() {
        Result r = new Result("P3", "full download", sizes.bigNotes() + " notes");
        Path template = bigTemplate(sizes.bigNotes());
        rounds(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), template, server, user);
                    PythonDevice b = device(dir.resolve("b"), null, server, user)) {
                sync(a, "upload", "full_upload");
                a.close();
                timed(r, side, server, () -> sync(b, "download", "full_download"));
                expect(sizes.bigNotes(), b.counts().notes(), "notes after the download");
            }
        });
        return r;
    }

    /** P4: a bulk reschedule of many cards on one device, synced up, then down to a second device. */
    private Result p4() {
        Result r = new Result(
                "P4",
                "incremental sync, " + sizes.p4Cards() + " cards changed",
                sizes.p4Cards() + " of " + sizes.bigNotes() + " cards rescheduled; push + pull");
        Path template = bigTemplate(sizes.bigNotes());
        rounds(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), template, server, user);
                    PythonDevice b = device(dir.resolve("b"), null, server, user)) {
                sync(a, "upload", "full_upload");
                sync(b, "download", "full_download");
                a.run("cids = sorted(col.find_cards(''))[:" + sizes.p4Cards() + "]\n"
                        + "col.sched.set_due_date(cids, '1-30')\nresult = len(cids)");
                timed(r, side, server, () -> {
                    sync(a, null, "none_or_normal");
                    sync(b, null, "none_or_normal");
                });
                expect(
                        sizes.p4Cards(),
                        b.run("result = col.db.scalar('select count() from cards where type = 2')")
                                .asLong(),
                        "rescheduled cards on the second device");
            }
        });
        return r;
    }

    /** P5: media files uploaded by one device and downloaded by another. */
    private Result p5() {
        long total = (long) sizes.p5Files() * sizes.p5FileBytes();
        Result r = new Result(
                "P5", "media upload + download", sizes.p5Files() + " files, " + megabytes(total) + " in all");
        rounds(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), null, server, user);
                    PythonDevice b = device(dir.resolve("b"), null, server, user)) {
                a.run("import random\nrng = random.Random(5)\n"
                        + "for i in range(" + sizes.p5Files() + "):\n"
                        + "    col.media.write_data('bench-%05d.jpg' % i, rng.randbytes(" + sizes.p5FileBytes() + "))\n"
                        + "result = None");
                timed(r, side, server, () -> {
                    a.call("sync_media");
                    b.call("sync_media");
                });
                expect(
                        sizes.p5Files(),
                        b.call("media_state").get("files").asLong(),
                        "media files on the second device");
            }
        });
        return r;
    }

    /** P6: many users syncing at the same time, each repeating P1-sized syncs. */
    private Result p6() {
        return crowd(
                new Result(
                        "P6",
                        sizes.p6Users() + " users syncing at once",
                        sizes.p6Users() + " users × " + sizes.p6Syncs() + " syncs (10 reviews + 2 edits each)"),
                sizes.p6Users(),
                sizes.rounds(),
                this::standardServer);
    }

    /**
     * P9: P6 with more users than two cores can serve at once, and a paper model of how
     * many users a node serves from the measured server CPU per sync.
     */
    private Result p9() {
        Result r = crowd(
                new Result(
                        "P9",
                        sizes.p9Users() + " users syncing at once",
                        sizes.p9Users() + " users × " + sizes.p6Syncs() + " syncs; " + sizes.p9Rounds() + " rounds"),
                sizes.p9Users(),
                sizes.p9Rounds(),
                this::standardServer);
        for (Side side : Side.values()) {
            double cpu = r.cpuPerOperation(side);
            if (!Double.isNaN(cpu) && cpu > 0) {
                // One sync per user every 10 minutes at peak, one core at 70 %.
                r.notes.add(String.format(
                        Locale.ROOT,
                        "%s: %.1f ms CPU per sync, so one core at 70%% serves"
                                + " %.0f syncs/s, about %.0f users syncing every 10 minutes at peak",
                        side.label,
                        cpu * 1000,
                        0.7 / cpu,
                        0.7 / cpu * 600));
            }
        }
        return r;
    }

    /** Assumptions of the paper model of users per core (P11). */
    static final int SYNCS_PER_USER_PER_DAY = 50;

    static final double TARGET_UTILISATION = 0.5;

    /**
     * P11: the P6 load (same users, same syncs) on three nodes of a cluster on this machine,
     * against one node configured the same way (PostgreSQL accounts and directory, media on
     * S3, cluster mode): the ratio isolates the node count. Devices log in at node 1 and
     * follow its 308 during the set-up. Server CPU and resident set are summed over the nodes.
     */
    private Result p11() {
        Result r = new Result(
                "P11",
                "P6 over 3 nodes (vs 1 node, same cluster set-up)",
                sizes.p6Users() + " users × " + sizes.p6Syncs() + " syncs; PostgreSQL accounts + directory,"
                        + " S3 media; 3 nodes on one machine");
        r.label(Side.OURS, "3 nodes");
        r.label(Side.OFFICIAL, "1 node");
        crowd(r, sizes.p6Users(), sizes.rounds(), (side, root) -> clusterServer(side == Side.OURS ? 3 : 1, root));
        done.stream()
                .filter(p6 -> p6.id.equals("P6") && !p6.seconds.get(Side.OURS).isEmpty())
                .findFirst()
                .ifPresent(p6 -> r.notes.add(String.format(
                        Locale.ROOT,
                        "plain single launcher (P6 of this run):" + " %.1f syncs/s, %s CPU per sync",
                        p6.median(Side.OURS),
                        Result.cpuText(p6.cpuPerOperation(Side.OURS)))));
        for (Side side : Side.values()) {
            double cpu = r.cpuPerOperation(side);
            if (!Double.isNaN(cpu) && cpu > 0) {
                double perCore = UsersPerCore.estimate(cpu, SYNCS_PER_USER_PER_DAY, TARGET_UTILISATION);
                r.notes.add(String.format(
                        Locale.ROOT,
                        "%s: %.1f ms CPU per sync (all nodes), so on paper"
                                + " 86400 s × %.0f%% / (%d syncs/user/day × %.1f ms) = %.0f users per core, %.0f per"
                                + " 2-core node",
                        r.label(side),
                        cpu * 1000,
                        TARGET_UTILISATION * 100,
                        SYNCS_PER_USER_PER_DAY,
                        cpu * 1000,
                        perCore,
                        2 * perCore));
            }
        }
        r.notes.add("the model is a daily average (to plan for the busiest hour, divide by 24 × that hour's share of"
                + " the day's syncs)"
                + " and leaves out logins, media and full syncs");
        r.notes.add("CPU counts the nodes' JVMs only, not PostgreSQL or the S3 server; all nodes, the database and"
                + " the devices share this machine's cores, so the node count cannot add CPU here: the ratio shows"
                + " the cost of splitting the load, not the gain of adding machines");
        return r;
    }

    /** A cluster of {@code nodes} nodes, with the benchmark's users, heap and JVM options. */
    private Server clusterServer(int nodes, Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>(env());
        String options = jvmOptions();
        if (options != null) {
            settings.put("JAVA_TOOL_OPTIONS", options);
        }
        return Server.of(ThreeNodeCluster.start(root, 0, nodes, OURS_HEAP, settings));
    }

    private Result crowd(
            Result r, int crowdUsers, int rounds, java.util.function.BiFunction<Side, Path, Server> starter) {
        r.throughput = true;
        Map<Side, List<Double>> latencies = new LinkedHashMap<>();
        for (Side side : Side.values()) {
            latencies.put(side, new ArrayList<>());
        }
        Map<Side, String> spread = new LinkedHashMap<>();
        rounds(r, rounds, starter, (side, server, dir, user) -> {
            {
                Files.createDirectories(dir);
                List<List<String>> crowd = users.entrySet().stream()
                        .limit(crowdUsers)
                        .map(e -> List.of(e.getKey(), e.getValue()))
                        .collect(Collectors.toList());
                String spec = JSON.writeValueAsString(Map.of(
                        "endpoint",
                        server.endpoint(),
                        "folder",
                        dir.resolve("devices").toString(),
                        "users",
                        crowd,
                        "notes",
                        sizes.p6Notes(),
                        "syncs",
                        sizes.p6Syncs()));
                ProcessBuilder builder = new ProcessBuilder(
                        Venv.python().toString(),
                        Venv.driverScript().resolveSibling("bench_crowd.py").toString(),
                        spec);
                builder.redirectError(dir.resolve("crowd.log").toFile());
                builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
                Process process = builder.start();
                try (BufferedReader out = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                        Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                    if (!"ready".equals(out.readLine())) {
                        throw new IllegalStateException("crowd set-up failed, see " + dir.resolve("crowd.log"));
                    }
                    JsonNode reply;
                    double cpu0 = server.cpuSeconds();
                    try (RssSampler rss = server.sample()) {
                        in.write("go\n");
                        in.flush();
                        String line = out.readLine();
                        if (line == null) {
                            throw new IllegalStateException("crowd failed, see " + dir.resolve("crowd.log"));
                        }
                        reply = JSON.readTree(line);
                        r.peak(side, rss.peakKb());
                    }
                    double cpu = server.cpuSeconds() - cpu0;
                    double wall = reply.get("wall").asDouble();
                    int syncs = reply.get("latencies").size();
                    expect((long) crowdUsers * sizes.p6Syncs(), syncs, "syncs done");
                    r.add(side, syncs / wall, 0);
                    r.cpu(side, cpu, syncs);
                    if (server.nodeEndpoints().size() > 0) {
                        spread.put(side, usersPerNode(server, reply.get("endpoints"), crowdUsers));
                    }
                    if (r.recording) {
                        reply.get("latencies").forEach(l -> latencies.get(side).add(l.asDouble()));
                    }
                } finally {
                    process.waitFor(60, TimeUnit.SECONDS);
                    process.destroyForcibly();
                }
            }
        });
        for (Side side : Side.values()) {
            List<Double> l = latencies.get(side);
            if (!l.isEmpty()) {
                r.notes.add(r.label(side) + ": p95 " + seconds(percentile(l, 0.95)) + ", median " + seconds(median(l))
                        + " per sync");
            }
        }
        spread.forEach((side, text) -> r.notes.add(r.label(side) + ": users per node " + text));
        if (!r.seconds.get(Side.OURS).isEmpty() && !r.seconds.get(Side.OFFICIAL).isEmpty()) {
            r.notes.add(String.format(
                    Locale.ROOT,
                    "throughput %.2f× %s",
                    r.median(Side.OURS) / r.median(Side.OFFICIAL),
                    r.label(Side.OFFICIAL).equals(Side.OFFICIAL.label)
                            ? "the official server's"
                            : "that of " + r.label(Side.OFFICIAL)));
        }
        return r;
    }

    /**
     * P8: P1 on a freshly started server (a cold JVM for ours): the first syncs after a
     * full upload, as a self-hosted server with little traffic sees them after a restart.
     */
    private Result p8() {
        Result r = new Result(
                "P8",
                "small incremental sync, fresh server (cold JVM)",
                sizes.p1Notes() + "-note collection, first " + sizes.p1Reps() + " syncs after start-up");
        Path template = smallTemplate(sizes.p1Notes());
        roundsOnFreshServers(r, sizes.rounds(), this::standardServer, (side, server, dir, user) -> {
            try (PythonDevice a = device(dir.resolve("a"), template, server, user)) {
                sync(a, "upload", "full_upload");
                List<Long> nids = PythonDevice.longs(a.run("result = sorted(col.find_notes(''))"));
                smallSyncs(r, side, server, a, nids, sizes.p1Reps());
            }
        });
        return r;
    }

    /** P7: a very large collection uploaded to our server with a 256 MiB heap ceiling; resident set sampled. */
    private Result p7() {
        Result r = new Result(
                "P7", "large full upload, ours at -Xmx" + OURS_HEAP, megabytes(sizes.p7Bytes()) + " collection");
        Path template = hugeTemplate(sizes.p7Bytes());
        long fileBytes = sizeBytes(template.resolve("collection.anki2"));
        long uploadMb = Math.max(100, (fileBytes >> 20) / 2); // the decompressed cap is 3× this
        Map<String, String> oursEnv = new LinkedHashMap<>(env());
        oursEnv.put("ANKISYNCD_MAX_UPLOAD_MB", Long.toString(uploadMb));
        Map<String, String> officialEnv = new LinkedHashMap<>(env());
        officialEnv.put("MAX_SYNC_PAYLOAD_MEGS", Long.toString(uploadMb));
        Map<Side, List<String>> curves = new LinkedHashMap<>();
        // No warm-up round: a single large upload, dominated by I/O (and the official server's takes minutes).
        rounds(
                r,
                sizes.p7Rounds(),
                false,
                (side, dir) -> Server.start(side, dir, OURS_HEAP, side == Side.OURS ? oursEnv : officialEnv, jfr()),
                (side, server, dir, user) -> {
                    try (PythonDevice a = device(dir.resolve("a"), template, server, user)) {
                        try (RssSampler rss = server.sample()) {
                            double cpu0 = server.cpuSeconds();
                            long t0 = System.nanoTime();
                            sync(a, "upload", "full_upload");
                            r.add(side, (System.nanoTime() - t0) / 1e9, 0);
                            r.cpu(side, server.cpuSeconds() - cpu0, 1);
                            rss.close();
                            r.peak(side, rss.peakKb());
                            if (r.recording)
                                curves.computeIfAbsent(side, s -> new ArrayList<>())
                                        .add(String.format(
                                                Locale.ROOT,
                                                "%s/%s/%s/%s",
                                                mb(rss.atFraction(0.25)),
                                                mb(rss.atFraction(0.5)),
                                                mb(rss.atFraction(0.75)),
                                                mb(rss.atFraction(1.0))));
                        }
                        if (!server.alive()) {
                            throw new IllegalStateException(side.label + " server died, see its log in " + dir);
                        }
                    }
                });
        r.notes.add(sizeOf(template.resolve("collection.anki2")) + " file; upload limit " + uploadMb
                + " MiB on both (decompressed cap " + 3 * uploadMb + " MiB)");
        curves.forEach(
                (side, c) -> r.notes.add(side.label + " RSS at 25/50/75/100% of the upload: " + String.join("; ", c)));
        if (mode == Mode.FULL) {
            r.notes.add("official server at its default limit: " + officialAtDefaultLimit(template));
        }
        return r;
    }

    /** What the official server does with the P7 collection at its default upload limit. */
    private String officialAtDefaultLimit(Path template) {
        Path dir = work.resolve("P7-official-default");
        try (Server server = Server.start(Side.OFFICIAL, dir.resolve("server"), OURS_HEAP, env(), null);
                PythonDevice a = device(dir.resolve("a"), template, server, "user1")) {
            JsonNode out = a.syncWithFull("upload", false);
            return "accepted (" + out.get("performed").asText() + ")";
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null
                    ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("");
            return "refused: \"" + message.strip() + "\"";
        } finally {
            deleteTree(dir);
        }
    }

    // ------------------------------------------------------------------ templates (cached, not timed)

    private Path smallTemplate(int notes) {
        return template("small-" + notes, d -> {
            d.call("add_notes", Map.of("count", notes, "deck", "Bench"));
            d.run("did = col.decks.id('Bench')\n"
                    + "conf = col.decks.config_dict_for_deck_id(did)\n"
                    + "conf['new']['perDay'] = 9999\nconf['rev']['perDay'] = 9999\n"
                    + "col.decks.update_config(conf)\nresult = None");
        });
    }

    private Path bigTemplate(int notes) {
        return template(
                "big-" + notes,
                d -> d.call(
                        "add_notes",
                        Map.of(
                                "count",
                                notes,
                                "deck",
                                "Bench",
                                "fields",
                                List.of("front %d: what is the capital of country %d?", "back %d: a city name"))));
    }

    /** Notes with random, barely compressible fields until the file has about {@code bytes}. */
    private Path hugeTemplate(long bytes) {
        return template(
                "huge-" + (bytes >> 20) + "m-v2",
                d -> d.run(""
                        + "import base64, random\n"
                        + "from anki.collection import AddNoteRequest\n"
                        + "rng = random.Random(7)\n"
                        + "model = col.models.by_name('Basic')\n"
                        + "did = col.decks.id('Huge')\n"
                        + "n = max(1, " + bytes + " // 14000)\n"
                        + "batch = []\n"
                        + "for i in range(n):\n"
                        + "    note = col.new_note(model)\n"
                        + "    note['Front'] = str(i) + ' ' + base64.b64encode(rng.randbytes(3000)).decode()\n"
                        + "    note['Back'] = base64.b64encode(rng.randbytes(4500)).decode()\n"
                        + "    batch.append(AddNoteRequest(note=note, deck_id=did))\n"
                        + "    if len(batch) == 500:\n"
                        + "        col.add_notes(batch)\n"
                        + "        batch = []\n"
                        + "if batch:\n"
                        + "    col.add_notes(batch)\n"
                        + "result = n"));
    }

    private Path template(String name, Consumer<PythonDevice> fill) {
        Path folder = templates.resolve(name);
        Path done = folder.resolve("complete");
        if (Files.exists(done)) {
            return folder;
        }
        log("making template " + name);
        deleteTree(folder);
        try (PythonDevice d = PythonDevice.open(folder)) {
            fill.accept(d);
        }
        try {
            Files.writeString(done, "ok\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    // ------------------------------------------------------------------ plumbing

    interface Trial {
        void run(Side side, Server server, Path dir, String user) throws Exception;
    }

    private Server standardServer(Side side, Path dataDir) {
        return Server.start(side, dataDir, OURS_HEAP, env(), jfr());
    }

    /**
     * One server per side for the whole workload, as a self-hoster runs it (long-lived, so
     * our JVM is past its start-up): an untimed warm-up round, then {@code rounds} rounds
     * alternating ours and official. Round k runs as user k, with new devices in their own
     * folder, deleted after.
     */
    private void rounds(Result r, int rounds, BiFunction<Side, Path, Server> starter, Trial body) {
        rounds(r, rounds, true, starter, body);
    }

    /** Rounds without warm-up, each on newly started servers (closed after the round). */
    private void roundsOnFreshServers(Result r, int rounds, BiFunction<Side, Path, Server> starter, Trial body) {
        for (int round = 1; round <= rounds; round++) {
            int k = round;
            rounds(r, 1, false, starter, (side, server, dir, user) -> body.run(side, server, dir, "user" + k));
        }
    }

    private void rounds(Result r, int rounds, boolean warmUp, BiFunction<Side, Path, Server> starter, Trial body) {
        r.oursHeap = OURS_HEAP;
        Map<Side, Server> servers = new LinkedHashMap<>();
        try {
            for (int round = warmUp ? 0 : 1; round <= rounds; round++) {
                r.recording = round > 0;
                String name = round == 0 ? "warm-up" : "round " + round;
                for (Side side : Side.values()) {
                    Path dir = work.resolve(r.id + "-" + round + "-" + side.label);
                    long t0 = System.nanoTime();
                    try {
                        Server server = servers.get(side);
                        if (server == null) {
                            trial++;
                            server = starter.apply(side, work.resolve(r.id + "-" + side.label + "-server"));
                            servers.put(side, server);
                        }
                        body.run(side, server, dir, "user" + (round + 1));
                        log(r.id + " " + name + " " + side.label + ": ok in "
                                + seconds((System.nanoTime() - t0) / 1e9));
                    } catch (Exception | AssertionError e) {
                        log(r.id + " " + name + " " + side.label + " FAILED: " + e);
                        r.notes.add(side.label + " " + name + " failed: " + firstLine(e));
                        Server server = servers.remove(side);
                        if (server != null) {
                            server.close();
                        }
                    } finally {
                        if (!Boolean.getBoolean("bench.keep")) {
                            deleteTree(dir);
                        }
                    }
                }
            }
        } finally {
            r.recording = true;
            servers.values().forEach(Server::close);
            for (Side side : Side.values()) {
                if (!Boolean.getBoolean("bench.keep")) {
                    deleteTree(work.resolve(r.id + "-" + side.label + "-server"));
                }
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Times one step while sampling the server's resident set. */
    private static void timed(Result r, Side side, Server server, Step step) throws Exception {
        try (RssSampler rss = server.sample()) {
            double cpu0 = server.cpuSeconds();
            long t0 = System.nanoTime();
            step.run();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            r.cpu(side, server.cpuSeconds() - cpu0, 1);
            rss.close();
            r.add(side, elapsed, rss.peakKb());
        }
    }

    /** One sync; a required full sync goes in {@code direction}; fails unless {@code expected} was performed. */
    private static void sync(PythonDevice device, String direction, String expected) {
        JsonNode out = device.syncWithFull(direction, false);
        if (!expected.equals(out.get("performed").asText())) {
            throw new IllegalStateException("expected " + expected + ", got " + out);
        }
    }

    /**
     * How many devices ended on each node of a cluster, e.g. {@code 11/11/10}; fails unless
     * every device syncs with a node of the cluster and the users reached every node they
     * could (placement spreads new users evenly).
     */
    private static String usersPerNode(Server server, JsonNode endpoints, int crowdUsers) {
        List<String> nodes = server.nodeEndpoints();
        int[] counts = new int[nodes.size()];
        for (JsonNode endpoint : endpoints) {
            int n = nodes.indexOf(endpoint.asText());
            if (n < 0) {
                throw new IllegalStateException("a device syncs with " + endpoint + ", not a node of " + nodes);
            }
            counts[n]++;
        }
        expect(crowdUsers, endpoints.size(), "devices reporting their endpoint");
        long used = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
        expect(Math.min(nodes.size(), crowdUsers), used, "nodes serving users");
        return java.util.Arrays.stream(counts).mapToObj(Integer::toString).collect(Collectors.joining("/"));
    }

    private PythonDevice device(Path folder, Path template, Server server, String user) throws IOException {
        if (template != null) {
            Files.createDirectories(folder);
            Files.copy(template.resolve("collection.anki2"), folder.resolve("collection.anki2"));
        }
        PythonDevice device = PythonDevice.open(folder);
        try {
            device.login(server.endpoint(), user, users.get(user));
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
        return device;
    }

    private Map<String, String> env() {
        return usersEnvironment;
    }

    /** The JVM options the README, the container image and the systemd unit run the launcher with. */
    static final String LAUNCHER_JVM_OPTIONS =
            "-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.05 -XX:+UseSerialGC";

    /**
     * JVM options for our server: the launcher's defaults, or those of {@code bench.jvm} to
     * compare settings ({@code none}: the JVM's own defaults); and a flight recording per
     * trial when {@code bench.jfr} is set.
     */
    private String jfr() {
        List<String> options = new ArrayList<>();
        String base = jvmOptions();
        if (base != null) {
            options.add(base);
        }
        String folder = System.getProperty("bench.jfr");
        if (folder != null && !folder.isBlank()) {
            Path file = Path.of(folder).toAbsolutePath().resolve("trial-" + (trial + 1) + ".jfr");
            options.add("-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true");
        }
        return options.isEmpty() ? null : String.join(" ", options);
    }

    /** The launcher's JVM options or those of {@code bench.jvm}, without a flight recording (null: none). */
    private static String jvmOptions() {
        List<String> options = new ArrayList<>();
        String chosen = System.getProperty("bench.jvm", "");
        if (chosen.isBlank()) {
            options.add(LAUNCHER_JVM_OPTIONS);
        } else if (!chosen.trim().equals("none")) {
            options.add(chosen.trim());
        }
        return options.isEmpty() ? null : String.join(" ", options);
    }

    private static void expect(long expected, long actual, String what) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    /**
     * Either server, or a cluster of our nodes (its endpoint is node 1's, where users log in):
     * processes whose resident set and CPU can be sampled, summed over the processes.
     */
    static final class Server implements AutoCloseable {
        private final AutoCloseable owner;
        private final String endpoint;
        private final Path dataDir;
        private final List<Long> pids;
        private final List<String> nodeEndpoints;
        private final BooleanSupplier alive;

        private Server(
                AutoCloseable owner,
                String endpoint,
                Path dataDir,
                List<Long> pids,
                List<String> nodeEndpoints,
                BooleanSupplier alive) {
            this.owner = owner;
            this.endpoint = endpoint;
            this.dataDir = dataDir;
            this.pids = List.copyOf(pids);
            this.nodeEndpoints = List.copyOf(nodeEndpoints);
            this.alive = alive;
        }

        private Server(SyncServerUnderTest server, long pid, BooleanSupplier alive) {
            this(server::close, server.endpoint(), server.dataDir(), List.of(pid), List.of(), alive);
        }

        /** The nodes of {@code cluster} as one server (closing it closes the cluster). */
        static Server of(ThreeNodeCluster cluster) {
            List<Long> pids = new ArrayList<>();
            List<String> endpoints = new ArrayList<>();
            for (int n = 1; n <= cluster.size(); n++) {
                pids.add(cluster.node(n).pid());
                endpoints.add(cluster.endpoint(n));
            }
            return new Server(
                    cluster,
                    cluster.endpoint(1),
                    cluster.node(1).dataDir().getParent(),
                    pids,
                    endpoints,
                    () -> IntStream.rangeClosed(1, cluster.size())
                            .allMatch(n -> cluster.node(n).isAlive()));
        }

        /** The endpoints of a cluster's nodes (empty for a single server). */
        List<String> nodeEndpoints() {
            return nodeEndpoints;
        }

        static Server start(Side side, Path dataDir, String heap, Map<String, String> env, String jvmOptions) {
            if (side == Side.OURS) {
                Map<String, String> settings = new LinkedHashMap<>(env);
                if (jvmOptions != null) {
                    settings.put("JAVA_TOOL_OPTIONS", jvmOptions);
                }
                OurServerProcess ours = OurServerProcess.start(dataDir, heap, settings);
                return new Server(ours, ours.pid(), ours::isAlive);
            }
            OfficialServer official = OfficialServer.start(dataDir, env);
            return new Server(official, official.pid(), () -> true);
        }

        String endpoint() {
            return endpoint;
        }

        Path dataDir() {
            return dataDir;
        }

        boolean alive() {
            return alive.getAsBoolean();
        }

        RssSampler sample() {
            return new RssSampler(pids, 20);
        }

        /** CPU seconds the server's processes have used so far (all their threads, user + system). */
        double cpuSeconds() {
            return pids.stream().mapToDouble(ProcessCpu::seconds).sum();
        }

        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the server failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ report

    String report(List<Result> results, String loadBefore, String loadAfter, double totalSeconds) {
        StringBuilder out = new StringBuilder();
        out.append("# Benchmark results (")
                .append(mode.name().toLowerCase(Locale.ROOT))
                .append(" mode)\n\n");
        out.append("Generated by `org.ankisync.e2e.bench.Benchmark` (see the README for the command).\n\n");
        out.append("- Date: ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append('\n');
        out.append("- Machine: ").append(machine()).append('\n');
        out.append("- Load average (1/5/15 min) before: ")
                .append(loadBefore)
                .append("; after: ")
                .append(loadAfter)
                .append('\n');
        out.append("- Versions: ours ")
                .append(gitCommit())
                .append(" (Java ")
                .append(System.getProperty("java.version"))
                .append(", -Xmx")
                .append(OURS_HEAP)
                .append("); official server and client: anki ")
                .append(System.getProperty("anki.client.version", "?"))
                .append(" (")
                .append(pythonVersion())
                .append(")\n");
        out.append("- Rounds: ")
                .append(sizes.rounds())
                .append(" (P7: ")
                .append(sizes.p7Rounds())
                .append("), alternating ours, official; total run time ")
                .append(seconds(totalSeconds))
                .append('\n');
        out.append("- Times are medians of the timed parts (logins and set-up excluded); the ratio is ours / official"
                + " in time (below 1 means ours is faster; for P6, time per sync = 1 / throughput). Peak RSS is the"
                + " highest VmRSS sampled every 20 ms during the timed parts. Server CPU is user + system time of the"
                + " server process (/proc/<pid>/stat) summed over the timed operations of all rounds, divided by their"
                + " number (per sync for P1, P6, P8, P9; per upload, download or push + pull for the others).\n");
        out.append("- Our JVM options: ")
                .append(
                        System.getProperty("bench.jvm", "").isBlank()
                                ? LAUNCHER_JVM_OPTIONS
                                : System.getProperty("bench.jvm"))
                .append(" (the launcher's defaults unless -Dbench.jvm says otherwise)\n");
        out.append("- JVM: P1 and P6 measure a warm server (a warm-up round first, the server lives through every"
                + " round); P8 measures the first syncs of a freshly started one.\n");
        out.append("- Durability: both servers commit every acknowledged sync durably. Ours: SQLite WAL with"
                + " synchronous=FULL (the WAL is fsynced at each commit; a normal sync commits once, at finish), full"
                + " uploads fsynced before their rename, media files and their folder fsynced before the media"
                + " database commits (DurableCommitTest checks this with strace). Official: SQLite with"
                + " synchronous=FULL.\n\n");
        out.append(table(results));
        out.append("\n## All samples\n\n");
        for (Result r : results) {
            out.append("- ").append(r.id).append(": ");
            List<String> parts = new ArrayList<>();
            for (Side side : Side.values()) {
                parts.add(r.label(side) + " "
                        + r.seconds.get(side).stream()
                                .map(v -> String.format(Locale.ROOT, r.throughput ? "%.2f/s" : "%.3f s", v))
                                .collect(Collectors.joining(", ", "[", "]")));
            }
            out.append(String.join("; ", parts)).append('\n');
        }
        return out.toString();
    }

    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| Workload | What | Size | Ours | Official | Ratio | Server CPU per operation (ours / official)"
                + " | Peak RSS ours (heap ceiling) | Peak RSS official | Notes |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append("| ")
                    .append(r.id)
                    .append(" | ")
                    .append(r.title)
                    .append(" | ")
                    .append(r.size)
                    .append(" | ")
                    .append(r.value(Side.OURS))
                    .append(" | ")
                    .append(r.value(Side.OFFICIAL))
                    .append(" | ")
                    .append(r.ratio())
                    .append(" | ")
                    .append(r.cpuColumn())
                    .append(" | ")
                    .append(mb(r.peakKb.get(Side.OURS)))
                    .append(" (-Xmx")
                    .append(r.oursHeap)
                    .append(") | ")
                    .append(mb(r.peakKb.get(Side.OFFICIAL)))
                    .append(" | ")
                    .append(String.join("; ", r.notes).replace("|", "/"))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static void updateReadme(Path readme, String table) throws IOException {
        String start = "<!-- benchmark-table:start -->";
        String end = "<!-- benchmark-table:end -->";
        String text = Files.readString(readme);
        int a = text.indexOf(start);
        int b = text.indexOf(end);
        if (a < 0 || b < a) {
            System.out.println("README has no benchmark-table markers; not updated");
            return;
        }
        Files.writeString(readme, text.substring(0, a + start.length()) + "\n" + table + text.substring(b));
    }

    // ------------------------------------------------------------------ helpers

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
        if (p == 0.5) {
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String seconds(double s) {
        return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String mb(long kb) {
        return String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    private static String megabytes(long bytes) {
        return bytes % 1_000_000 == 0
                ? bytes / 1_000_000 + " MB"
                : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static String sizeOf(Path file) {
        return String.format(Locale.ROOT, "%.1f MiB", sizeBytes(file) / 1048576.0);
    }

    private static long sizeBytes(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        return e.getClass().getSimpleName() + ": "
                + message.lines().findFirst().orElse("").replace("|", "/");
    }

    static String phc(String password, int rounds) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] hash = factory.generateSecret(new PBEKeySpec(password.toCharArray(), salt, rounds, 256))
                    .getEncoded();
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            return "$pbkdf2-sha256$i=" + rounds + ",l=32$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(cpu);
        } catch (IOException ignored) {
            // keep the default
        }
        long memory = 0;
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .orElse(0L);
        } catch (IOException ignored) {
            // keep 0
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + String.format(Locale.ROOT, "%.0f GiB", memory / 1048576.0) + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String gitCommit() {
        String commit = command("git", "rev-parse", "--short", "HEAD");
        String dirty = command("git", "status", "--porcelain", "--untracked-files=no");
        return commit.isEmpty() ? "(unknown commit)" : commit + (dirty.isEmpty() ? "" : " (with local changes)");
    }

    private static String pythonVersion() {
        try {
            return command(Venv.python().toString(), "--version");
        } catch (RuntimeException e) {
            return "Python ?";
        }
    }

    private static String command(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            String repo = System.getProperty("bench.repo");
            if (repo != null) {
                builder.directory(Path.of(repo).toFile());
            }
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void log(String message) {
        System.out.println("[bench " + LocalTime.now().withNano(0) + "] " + message);
        System.out.flush();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
