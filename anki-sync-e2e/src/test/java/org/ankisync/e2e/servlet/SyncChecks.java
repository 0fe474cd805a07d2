package org.ankisync.e2e.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ankisync.e2e.collection.SharedScenarios;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.SyncServerUnderTest;

/** Media steps with the official client, for deployments other than the launcher. */
public final class SyncChecks {
    /** Larger than 3 x a 1 MiB payload limit, so it also shows which limit a deployment applies. */
    public static final int BIG_FILE = 8 * 1024 * 1024;

    private SyncChecks() {}

    /** Media files of varied names and sizes, one of them {@link #BIG_FILE} bytes. */
    public static List<Map<String, Object>> mediaFiles(String tag) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            files.add(Map.of("name", "image " + tag + " é " + i + ".jpg", "size", 1000 + i * 7919, "seed", tag + i));
        }
        files.add(Map.of("name", "big " + tag + ".mp4", "size", BIG_FILE, "seed", tag + "-big"));
        return files;
    }

    /**
     * A logs in, adds notes and media, uploads both; a new device B downloads
     * both; the devices then hold the same notes and byte-identical media.
     */
    public static void collectionAndMedia(SyncServerUnderTest server, Path temp) {
        try (PythonDevice a = SharedScenarios.loggedIn(server, temp.resolve("media-a"));
                PythonDevice b = SharedScenarios.loggedIn(server, temp.resolve("media-b"))) {
            JsonNode stored = a.call("add_media", Map.of("files", mediaFiles("a")));
            a.call(
                    "add_notes",
                    Map.of(
                            "count",
                            5,
                            "deck",
                            "Media",
                            "fields",
                            List.of("<img src=\"" + stored.get(0).asText() + "\"> %d", "back %d")));
            assertEquals("full_upload", SharedScenarios.sync(a, null));
            a.call("sync_media");
            assertEquals("full_download", SharedScenarios.sync(b, null));
            b.call("sync_media");
            assertEquals(13, b.dump().get("media").size(), "B's files");
            SharedScenarios.assertSameContent(a, b);
        }
    }
}
