package org.ankisync.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
    @TempDir
    Path collections;

    private final AtomicLong free = new AtomicLong(1_000);
    private final AtomicBoolean accounts = new AtomicBoolean(true);

    private Readiness readiness() {
        return new Readiness(collections, 500, folder -> free.get(), accounts::get);
    }

    @Test
    void readyWhenEverythingHolds() {
        assertEquals(List.of(), readiness().problems());
    }

    @Test
    void theDiskFloorAndTheAccountStoreAreChecked() {
        Readiness readiness = readiness();
        free.set(499);
        assertTrue(
                readiness.problems().get(0).startsWith("free disk space"),
                readiness.problems().toString());
        free.set(500);
        assertEquals(List.of(), readiness.problems());
        accounts.set(false);
        assertEquals(List.of("account store not answering"), readiness.problems());
    }

    @Test
    void anAccountStoreThatThrowsIsNotAnswering() {
        Readiness readiness = new Readiness(collections, 0, folder -> 1, () -> {
            throw new IllegalStateException("database is locked");
        });
        assertEquals(List.of("account store not answering"), readiness.problems());
    }

    @Test
    void aMissingFolderIsNotWritableAndShutdownIsFinal() {
        Readiness missing = new Readiness(collections.resolve("gone"), 0, folder -> 1, () -> true);
        assertEquals(List.of("collections folder not writable"), missing.problems());
        Readiness readiness = readiness();
        readiness.shuttingDown();
        assertEquals(List.of("shutting down"), readiness.problems());
    }
}
