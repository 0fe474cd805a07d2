package org.ankisync.core.history;

import java.time.Instant;

/**
 * What is known about one snapshot, as kept in its {@code <id>.json} beside
 * the compressed collection {@code <id>.anki2.zst}.
 *
 * @param id            file name stem, {@code yyyyMMdd-HHmmss-SSS} in UTC (sorts by time)
 * @param time          when it was taken
 * @param reason        {@code before-full-upload}, {@code daily}, {@code manual} or {@code before-restore}
 * @param clientVersion the client version of the device that caused it, or what the command line says
 * @param address       that device's address, or {@code local}
 * @param notes         rows in {@code notes}
 * @param cards         rows in {@code cards}
 * @param revlog        rows in {@code revlog}
 * @param collectionBytes size of the collection file the snapshot restores
 * @param storedBytes   size of the compressed file on disk
 */
public record SnapshotInfo(
        String id,
        Instant time,
        String reason,
        String clientVersion,
        String address,
        long notes,
        long cards,
        long revlog,
        long collectionBytes,
        long storedBytes) {
    public static final String BEFORE_FULL_UPLOAD = "before-full-upload";
    public static final String DAILY = "daily";
    public static final String MANUAL = "manual";
    public static final String BEFORE_RESTORE = "before-restore";

    /** One line of {@code snapshot list}: the ID first, then time, reason and counts. */
    public String line() {
        return String.format(
                "%s  %s  %-18s notes=%d cards=%d revlog=%d size=%d stored=%d client=%s address=%s",
                id, time, reason, notes, cards, revlog, collectionBytes, storedBytes, clientVersion, address);
    }
}
