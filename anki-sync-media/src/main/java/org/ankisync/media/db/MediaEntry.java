package org.ankisync.media.db;

import java.util.HexFormat;

/**
 * One row of the server media table: the latest state of one file name.
 *
 * @param fname file name (NFC), compared exactly
 * @param sha1  raw 20-byte SHA-1 of the content; kept when the file is deleted
 * @param size  size in bytes; 0 means deleted
 * @param usn   media usn of the last change to this row
 * @param mtime server time (Unix seconds) of the last change
 */
public record MediaEntry(String fname, byte[] sha1, long size, int usn, long mtime) {

    public boolean present() {
        return size > 0;
    }

    /** The checksum as clients see it: 40 lowercase hex digits, or empty for a deleted file. */
    public String sha1HexOrEmpty() {
        return present() ? HexFormat.of().formatHex(sha1) : "";
    }
}
