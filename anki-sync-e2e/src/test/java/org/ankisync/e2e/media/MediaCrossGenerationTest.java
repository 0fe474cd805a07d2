package org.ankisync.e2e.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ankisync.e2e.harness.JvmDevice;
import org.ankisync.e2e.harness.OurServer;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media between the 26.9.3 client and the 2.1.66 core through our server, both directions. */
class MediaCrossGenerationTest {
    @TempDir
    Path temp;

    @Test
    void filesTravelBetweenClientGenerations() {
        try (OurServer server = OurServer.start(temp.resolve("server"));
                PythonDevice current = PythonDevice.open(temp.resolve("current"));
                JvmDevice old = JvmDevice.open(temp.resolve("old"))) {
            current.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            old.login(server.endpoint(), TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            List<Map<String, Object>> files = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                files.add(Map.of("name", "from current " + i + " é.png", "size", 3000 + i * 100, "seed", i));
            }
            current.call("add_media", Map.of("files", files));
            current.call("sync_media");

            old.syncMedia();
            assertEquals(mediaOf(current), old.mediaFiles());

            old.addMedia("from old \u65e5\u672c.txt", "written by 2.1.66".getBytes(StandardCharsets.UTF_8));
            old.trashMedia(List.of("from current 0 é.png", "from current 1 é.png"));
            old.syncMedia();
            current.call("sync_media");
            assertEquals(old.mediaFiles(), mediaOf(current));
            assertEquals(39, old.mediaFiles().size());
        }
    }

    private static Map<String, String> mediaOf(PythonDevice device) {
        Map<String, String> media = new TreeMap<>();
        JsonNode dump = device.dump().get("media");
        dump.properties().forEach(e -> media.put(e.getKey(), e.getValue().asText()));
        return media;
    }
}
