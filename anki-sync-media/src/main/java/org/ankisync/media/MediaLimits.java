package org.ankisync.media;

/** The media protocol's numbers (media-sync.md section 10), in one place. */
public final class MediaLimits {
    /** Changes in one upload zip, and names in one {@code downloadFiles} request. */
    public static final int MAX_FILES_PER_BATCH = 25;
    /** Download batches stop after the file that makes the total exceed this (2.5 MiB). */
    public static final long TARGET_ZIP_BYTES = 2_621_440L;
    /** Largest single media file (100 MiB). */
    public static final long MAX_FILE_BYTES = 104_857_600L;
    /** Largest {@code _meta} member of an upload zip that is read (50 KiB). */
    public static final int MAX_META_BYTES = 51_200;
    /** Longest file name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;
    /** Rows per {@code mediaChanges} reply. */
    public static final int MAX_CHANGES_PER_REPLY = 1000;
    /**
     * All file data in one upload zip. Clients stop adding files once the batch
     * exceeds {@link #TARGET_ZIP_BYTES}, so a genuine batch holds at most that
     * plus one file; twice the target leaves room for old clients.
     */
    public static final long MAX_UPLOAD_DATA_BYTES = MAX_FILE_BYTES + 2 * TARGET_ZIP_BYTES;
    /** Largest JSON request body of a media method; real ones are a few KiB. */
    public static final int MAX_JSON_BYTES = 1 << 20;

    private MediaLimits() {}
}
