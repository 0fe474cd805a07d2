package org.ankisync.media.trash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaTrashTest {
    private static final Instant NOW = Instant.parse("2030-05-01T00:00:00Z");

    @TempDir
    Path user;

    @Test
    void listsNewestDeletionFirstAndPurgesByAge() throws Exception {
        MediaTrash trash = new MediaTrash(user);
        Files.writeString(trash.batch(NOW.minus(Duration.ofDays(40))).resolve("a.jpg"), "old a");
        Files.writeString(trash.batch(NOW.minus(Duration.ofDays(2))).resolve("a.jpg"), "newer a!");
        Files.writeString(trash.batch(NOW.minus(Duration.ofDays(1))).resolve("b.jpg"), "b");
        List<MediaTrash.Entry> all = trash.list();
        assertEquals(
                List.of("b.jpg", "a.jpg", "a.jpg"),
                all.stream().map(MediaTrash.Entry::name).toList());
        assertEquals(8, trash.newest("a.jpg").orElseThrow().size());

        assertEquals(1, trash.purge(NOW, Duration.ofDays(30)));
        assertEquals(
                List.of("b.jpg", "a.jpg"),
                trash.list().stream().map(MediaTrash.Entry::name).toList());
        assertEquals(0, trash.purge(NOW, Duration.ofDays(30)));
    }

    @Test
    void foldersThatAreNotBatchesAreIgnored() throws Exception {
        MediaTrash trash = new MediaTrash(user);
        Files.createDirectories(user.resolve(MediaTrash.FOLDER).resolve("not-a-time"));
        Files.writeString(user.resolve(MediaTrash.FOLDER).resolve("stray.txt"), "x");
        assertEquals(List.of(), trash.list());
        assertEquals(0, trash.purge(NOW, Duration.ZERO));
    }
}
