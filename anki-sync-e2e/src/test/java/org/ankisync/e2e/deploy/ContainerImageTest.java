package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ankisync.e2e.collection.SharedScenarios;
import org.ankisync.e2e.harness.Ports;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.e2e.servlet.SyncChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile really built (with podman, from base images made of Debian's
 * packages) and run with a volume: the official client syncs through the
 * container, the container is replaced by a new one on the same volume, and
 * nothing is lost. The image's settings (non-root user, SIGTERM, health check,
 * heap from the memory limit) are checked on the running container.
 */
class ContainerImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final String name = "ankisyncd-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private final int port = Ports.free();

    @BeforeAll
    static void build() {
        Podman.buildImage();
    }

    @AfterEach
    void remove() {
        Podman.exec("rm", "--force", "--time", "5", name);
        Podman.exec("volume", "rm", "--force", name);
    }

    @Test
    void theImageIsConfiguredAsDocumented() throws IOException {
        JsonNode image =
                JSON.readTree(Podman.run("image", "inspect", Podman.IMAGE)).get(0);
        JsonNode config = image.get("Config");
        assertEquals("10001:10001", config.get("User").asText());
        assertEquals("SIGTERM", config.get("StopSignal").asText());
        assertTrue(config.get("Volumes").has("/data"), config.toString());
        assertTrue(image.path("Healthcheck").path("Test").toString().contains("HealthCheck"), image.toString());
        assertTrue(config.get("ExposedPorts").has("27701/tcp"), config.toString());
    }

    @Test
    void theClientSyncsThroughTheContainerAndARestartOnTheSameVolumeLosesNothing() {
        Podman.run("volume", "create", name);
        start();
        String endpoint = "http://127.0.0.1:" + port + "/";

        // Runs as the image's user, with the heap taken from the memory limit (75% of 512 MiB).
        assertEquals("10001", Podman.run("exec", name, "id", "-u").strip());
        String flags = Podman.run("exec", name, "sh", "-c", "java $JAVA_OPTS -XX:+PrintFlagsFinal -version");
        assertTrue(flags.matches("(?s).*MaxHeapSize\\s+=\\s+402653184\\b.*"), flags);
        // The image's HEALTHCHECK command passes against the running server.
        assertEquals(0, Podman.exec("healthcheck", "run", name).exitCode());

        try (PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            a.login(endpoint, TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
            SharedScenarios.populate(a);
            JsonNode stored = a.call("add_media", Map.of("files", SyncChecks.mediaFiles("a")));
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
            a.call("review", Map.of("count", 10, "deck", "Geography"));
            SharedScenarios.normalSync(a);

            // A new container on the same volume (podman stop sends the image's STOPSIGNAL).
            Podman.run("stop", "--time", "30", name);
            Podman.run("rm", name);
            start();

            try (PythonDevice b = PythonDevice.open(temp.resolve("b"))) {
                b.login(endpoint, TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
                assertEquals("full_download", SharedScenarios.sync(b, null));
                b.call("sync_media");
                SharedScenarios.assertSameContent(a, b);
                assertEquals(13, b.dump().get("media").size());
            }
            // A's login survived the new container too (the account database is on the volume).
            SharedScenarios.normalSync(a);
        }
        assertEquals(
                "10001",
                Podman.run("exec", name, "stat", "-c", "%u", "/data/collections/alice/collection.anki2")
                        .strip(),
                "the data belongs to the image's user");
    }

    private void start() {
        Podman.run(
                "run",
                "--detach",
                "--name",
                name,
                "--memory",
                "512m",
                "--publish",
                "127.0.0.1:" + port + ":27701",
                "--volume",
                name + ":/data",
                "--env",
                "SYNC_USER1=" + TestUsers.ALICE + ":" + TestUsers.ALICE_PASSWORD,
                Podman.IMAGE);
        try {
            Ports.awaitHealthy("http://127.0.0.1:" + port + "/", Duration.ofSeconds(90), null);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    e.getMessage() + "\n" + Podman.exec("logs", name).output(), e);
        }
    }
}
