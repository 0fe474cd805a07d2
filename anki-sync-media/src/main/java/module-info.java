/**
 * Media sync ({@code /msync/*}).
 *
 * <p>API (exported): {@code org.ankisync.media} ({@code MediaSyncService}) and
 * {@code org.ankisync.media.store} ({@code MediaStore}, which its constructors take),
 * {@code org.ankisync.media.trash} (the media trash, for the admin pages and the
 * command line). Internal: {@code .db}, {@code .names}, {@code .zip}.
 * A package added later stays internal until it is listed here.
 */
module org.ankisync.media {
    requires transitive org.ankisync.core;

    exports org.ankisync.media;
    exports org.ankisync.media.store;
    exports org.ankisync.media.trash;

    // Jackson writes the replies' value classes.
    opens org.ankisync.media to
            com.fasterxml.jackson.databind;
}
