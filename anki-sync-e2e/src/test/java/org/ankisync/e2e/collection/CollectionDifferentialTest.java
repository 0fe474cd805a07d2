package org.ankisync.e2e.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.OfficialServer;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 9: the same client steps through the official server and through
 * ours end with the same device content (compared without ids and times,
 * which differ between any two runs).
 */
class CollectionDifferentialTest {
    @TempDir
    Path temp;

    static Stream<Arguments> scenarios() {
        return Stream.of(
                scenario("1 upload then download", Scenarios::uploadThenDownload),
                scenario("2+3 incremental changes", Scenarios::incrementalChanges),
                scenario("4 same note edited on both", Scenarios::sameNoteEditedOnBoth),
                scenario("5 schema change", Scenarios::schemaChange),
                scenario("6 deletions", Scenarios::deletionsPropagate));
    }

    private static Arguments scenario(String name, BiFunction<SyncServerUnderTest, Path, Map<String, JsonNode>> steps) {
        return Arguments.of(name, steps);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sameOutcomeAsTheOfficialServer(
            String name, BiFunction<SyncServerUnderTest, Path, Map<String, JsonNode>> steps) {
        Map<String, JsonNode> official;
        try (SyncServerUnderTest server = OfficialServer.start(temp.resolve("official-server"))) {
            official = steps.apply(server, temp.resolve("official"));
        }
        Map<String, JsonNode> ours;
        try (SyncServerUnderTest server = OurServer.start(temp.resolve("our-server"))) {
            ours = steps.apply(server, temp.resolve("ours"));
        }
        assertEquals(official, ours, name);
    }
}
