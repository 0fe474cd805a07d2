package org.ankisync.media;

import java.util.Arrays;
import java.util.Optional;
import org.ankisync.media.db.MediaEntry;
import org.ankisync.media.zip.UploadChange;

/** What one uploaded change does to the server (media-sync.md section 5). */
enum UploadOutcome {
    /** Deletion of a file the server does not have: nothing happens. */
    ALREADY_DELETED(false),
    /** Deletion of a present file. */
    REMOVED(true),
    /** Addition of a file that is absent or deleted. */
    ADDED(true),
    /** Addition with the content the server already has: nothing happens. */
    IDENTICAL(false),
    /** Addition with different content. */
    REPLACED(true);

    private final boolean bumpsUsn;

    UploadOutcome(boolean bumpsUsn) {
        this.bumpsUsn = bumpsUsn;
    }

    /** True for real changes, each of which takes the next media usn. */
    public boolean bumpsUsn() {
        return bumpsUsn;
    }

    /** The outcome of {@code change} given the server's row for that name. */
    public static UploadOutcome of(Optional<MediaEntry> existing, UploadChange change) {
        boolean present = existing.isPresent() && existing.get().present();
        if (change.isDeletion()) {
            return present ? REMOVED : ALREADY_DELETED;
        }
        if (!present) {
            return ADDED;
        }
        return Arrays.equals(existing.get().sha1(), change.sha1()) ? IDENTICAL : REPLACED;
    }
}
