package org.ankisync.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark at tiny sizes, so that it cannot rot: every workload runs
 * against both servers (P11: against three nodes and one node) and produces a
 * row. No timing claims.
 */
class BenchmarkSmokeTest {
    @TempDir
    Path temp;

    @Test
    void everyWorkloadRunsOnBothServersAndProducesARow() throws Exception {
        List<Benchmark.Result> results = new Benchmark(Benchmark.Mode.SMOKE, temp.resolve("smoke"), Set.of()).runAll();
        assertEquals(
                List.of("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11"),
                results.stream().map(r -> r.id).collect(Collectors.toList()));
        for (Benchmark.Result r : results) {
            for (Benchmark.Side side : Benchmark.Side.values()) {
                assertTrue(!r.seconds.get(side).isEmpty(), () -> r.id + " did not run on " + side + ": " + r.notes);
                assertTrue(r.peakKb.get(side) > 0, () -> r.id + " has no resident set for " + side);
                assertTrue(r.cpu.get(side)[1] > 0, () -> r.id + " recorded no server CPU for " + side);
            }
        }
        List<String> rows = Benchmark.table(results)
                .lines()
                .filter(l -> l.startsWith("| P"))
                .collect(Collectors.toList());
        assertEquals(11, rows.size(), String.join("\n", rows));
        for (String row : rows) {
            assertTrue(row.matches("\\| P\\d+ \\|.*\\| \\d+\\.\\d\\d× \\|.*"), row);
        }
    }
}
