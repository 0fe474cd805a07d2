package org.ankisync.e2e.harness;

import java.nio.file.Path;

/** A running sync server a test can point devices at: ours or the official one. */
public interface SyncServerUnderTest extends AutoCloseable {

    /** The endpoint to give clients, ending with {@code /}. */
    String endpoint();

    /** The server's data folder (one sub-folder per user). */
    Path dataDir();

    /** A short name for test reports: {@code ours} or {@code official}. */
    String name();

    @Override
    void close();
}
