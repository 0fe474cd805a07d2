package org.ankisync.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's syncs are real ones: every step answers 200 (it throws
 * otherwise), and every sync passes the sanity check and is
 * committed by {@code finish}, so the whole path, merge and commit included,
 * has run. Nothing is left behind in its scratch folder.
 */
class WarmupTest {
    @TempDir
    Path scratch;

    @Test
    void everySyncAfterTheFirstIsCommittedAndTheScratchFolderIsRemoved() throws Exception {
        Warmup.Result result = Warmup.run(6, scratch);
        assertEquals(6, result.syncs());
        assertEquals(6, result.committed());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count());
        }
    }
}
