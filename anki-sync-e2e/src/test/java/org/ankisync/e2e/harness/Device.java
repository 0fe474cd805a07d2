package org.ankisync.e2e.harness;

import java.util.List;

/**
 * One simulated Anki device with the official client inside. Two drivers
 * implement it: {@link PythonDevice} (the current client from PyPI) and the
 * in-process 2.1.66 client ({@code JvmDevice}), so one scenario can run on both
 * client generations.
 */
public interface Device extends AutoCloseable {

    /** Which client drives this device, for test names. */
    String clientName();

    /** Logs in; returns the host key. A rejected login throws {@link DeviceException} with kind AUTH. */
    String login(String endpoint, String user, String password);

    /** Adds {@code count} notes of the stock Basic type to {@code deck} (created if missing); returns note ids. */
    List<Long> addBasicNotes(int count, String deck);

    /**
     * Asks the server what to do and performs a normal sync if that is what is
     * needed; returns what the client was told before any full sync.
     */
    SyncRequired sync();

    /** A full upload ({@code true}) or download. */
    void fullSync(boolean upload);

    /** Counts of notes, cards and review-log entries. */
    Counts counts();

    @Override
    void close();

    /** What {@code sync} told the client to do. */
    enum SyncRequired {
        NO_CHANGES,
        NORMAL_SYNC,
        FULL_SYNC,
        FULL_DOWNLOAD,
        FULL_UPLOAD
    }

    /** Row counts of a collection. */
    record Counts(long notes, long cards, long revlog) {}
}
