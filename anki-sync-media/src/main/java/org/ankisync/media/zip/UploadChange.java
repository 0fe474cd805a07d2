package org.ankisync.media.zip;

import java.nio.file.Path;

/**
 * One entry of an upload batch, validated: a deletion, or an addition whose
 * bytes wait in a staged temporary file.
 *
 * @param fname  the file name (valid, NFC)
 * @param staged the staged content; null for a deletion
 * @param sha1   raw SHA-1 of the content; null for a deletion
 * @param size   content length (&gt; 0); 0 for a deletion
 */
public record UploadChange(String fname, Path staged, byte[] sha1, long size) {

    public boolean isDeletion() {
        return staged == null;
    }
}
