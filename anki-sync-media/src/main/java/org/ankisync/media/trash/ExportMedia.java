package org.ankisync.media.trash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ankisync.core.history.ColpkgWriter;

/**
 * The media files of a snapshot's {@code .colpkg}, for the command line and the admin
 * pages alike: the user's media folder, plus the newest copy of each name in the media
 * trash, since files the snapshot's notes used may have been deleted since it was taken.
 */
public final class ExportMedia {
    private ExportMedia() {
    }

    public static List<Path> of(Path userFolder) {
        try {
            List<Path> media = new ArrayList<>(ColpkgWriter.mediaFiles(userFolder.resolve("media")));
            for (MediaTrash.Entry trashed : new MediaTrash(userFolder).newestByName().values()) {
                media.add(trashed.file());
            }
            return media;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
