package org.ankisync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ankisync.media.db.MediaMeta;
import org.ankisync.media.db.ServerMediaDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStatsTest {
    @TempDir
    Path collections;

    @Test
    void mediaInTheUsersFolderIsCounted() throws Exception {
        Path media = Files.createDirectories(collections.resolve("alice").resolve("media"));
        Files.write(media.resolve("a.png"), new byte[300]);
        Files.write(media.resolve("b.png"), new byte[200]);
        UserStats.Stats stats = new UserStats(collections).of("alice");
        assertEquals(2, stats.mediaFiles());
        assertEquals(500, stats.mediaBytes());
    }

    @Test
    void mediaInAnotherStoreIsCountedFromTheMediaDatabase() throws Exception {
        Path folder = Files.createDirectories(collections.resolve("bob"));
        try (ServerMediaDatabase db = ServerMediaDatabase.open(folder.resolve(ServerMediaDatabase.FILE_NAME))) {
            db.setMeta(new MediaMeta(7, 123_456, 5));
            db.commit();
        }
        UserStats.Stats stats = new UserStats(collections).of("bob");
        assertEquals(5, stats.mediaFiles());
        assertEquals(123_456, stats.mediaBytes());
    }
}
