package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ankisync.e2e.collection.SharedScenarios;
import org.ankisync.e2e.harness.Ports;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.servlet.SyncChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose.yaml driven by scripts/ankisyncd.sh through podman-compose (PyPI):
 * {@code up} (the server alone, HTTP), {@code user add}, {@code https} (the
 * profile with Caddy and its local CA), {@code certs}, {@code status},
 * {@code backup}, {@code down}. The official client syncs over HTTP and then
 * over HTTPS, trusting the CA the {@code certs self-signed} verb exported.
 * The files run from a copy of the repository's, so that the test never
 * touches a developer's ankisyncd.env.
 */
class ComposeTest {
    private static final String USER = "carol";
    private static final String PASSWORD = "carol-secret";

    @TempDir
    Path temp;

    private Path project;
    private final Map<String, String> environment = new LinkedHashMap<>();

    @BeforeAll
    static void build() {
        Podman.buildImage();
    }

    @AfterEach
    void down() {
        if (project != null) {
            // The script's 'down' keeps the volumes, as users want; the test removes them too.
            Processes.exec(
                    project,
                    environment,
                    List.of(DeployTools.podmanCompose().toString(), "--profile", "https", "down", "--volumes"));
        }
    }

    @Test
    void bothProfilesComeUpServeTheClientAndGoDown() {
        project = copyProject();
        int httpPort = Ports.free();
        int httpsPort = Ports.free();
        environment.putAll(Podman.environment());
        environment.put("ANKISYNCD_COMPOSE", DeployTools.podmanCompose().toString());
        environment.put(
                "COMPOSE_PROJECT_NAME",
                "ankisyncd-e2e-" + UUID.randomUUID().toString().substring(0, 8));
        environment.put("ANKISYNCD_IMAGE", Podman.IMAGE);
        environment.put("ANKISYNCD_CADDY_IMAGE", Podman.CADDY_BASE);
        environment.put("ANKISYNCD_HTTP_PORT", Integer.toString(httpPort));
        environment.put("ANKISYNCD_HTTPS_PORT", Integer.toString(httpsPort));

        assertTrue(script("up").contains("http://<this host>:" + httpPort + "/"));
        script("user add " + USER + " --password-stdin", PASSWORD + "\n");
        assertTrue(script("user list").contains(USER));
        assertTrue(script("status").contains("health: ok"));

        try (PythonDevice a = PythonDevice.open(temp.resolve("a"))) {
            a.login("http://127.0.0.1:" + httpPort + "/", USER, PASSWORD);
            SharedScenarios.populate(a);
            JsonNode stored = a.call("add_media", Map.of("files", SyncChecks.mediaFiles("a")));
            a.call(
                    "add_notes",
                    Map.of(
                            "count",
                            2,
                            "deck",
                            "Media",
                            "fields",
                            List.of("<img src=\"" + stored.get(0).asText() + "\"> %d", "back %d")));
            assertEquals("full_upload", SharedScenarios.sync(a, null));
            a.call("sync_media");

            // The https profile adds Caddy; the devices trust the CA the script exported.
            assertTrue(script("https").contains("https://localhost:" + httpsPort + "/"));
            script("certs self-signed");
            Path ca = project.resolve("ankisyncd-ca.crt");
            assertTrue(read(ca).contains("BEGIN CERTIFICATE"));
            assertTrue(script("certs info").contains("localhost"));
            try (PythonDevice b = PythonDevice.open(temp.resolve("b"), Map.of("SSL_CERT_FILE", ca.toString()))) {
                b.login("https://localhost:" + httpsPort + "/", USER, PASSWORD);
                assertEquals("full_download", SharedScenarios.sync(b, null));
                b.call("sync_media");
                SharedScenarios.assertSameContent(a, b);
            }
        }

        Processes.Result backup = run("backup", "");
        assertEquals(0, backup.exitCode(), backup.output());
        assertTrue(backup.output().contains("/data/backups/latest"), backup.output());
        String listed = Podman.run(
                        "volume",
                        "inspect",
                        "--format",
                        "{{.Mountpoint}}",
                        environment.get("COMPOSE_PROJECT_NAME") + "_ankisyncd-data")
                .strip();
        assertTrue(
                Files.exists(Path.of(listed, "backups", "latest", "BACKUP-COMPLETE")),
                "the backup is complete in the volume: " + listed);

        script("down");
        String left = Podman.run(
                "ps",
                "--all",
                "--filter",
                "label=io.podman.compose.project=" + environment.get("COMPOSE_PROJECT_NAME"),
                "--format",
                "{{.Names}}");
        assertEquals("", left.strip(), "containers left after down");
    }

    private String script(String arguments) {
        return script(arguments, "");
    }

    private String script(String arguments, String input) {
        Processes.Result result = run(arguments, input);
        assertEquals(0, result.exitCode(), () -> "ankisyncd.sh " + arguments + ":\n" + result.output());
        return result.output();
    }

    private Processes.Result run(String arguments, String input) {
        List<String> command = new ArrayList<>(
                List.of("sh", project.resolve("scripts/ankisyncd.sh").toString()));
        command.addAll(List.of(arguments.split(" ")));
        return Processes.exec(project, environment, command, input);
    }

    /** compose.yaml, the script and what they read, as a user's checkout has them. */
    private Path copyProject() {
        Path repo = ShippedConfig.repository();
        Path copy = temp.resolve("project");
        for (String file : List.of(
                "compose.yaml",
                "scripts/ankisyncd.sh",
                "deploy/compose/Caddyfile",
                "deploy/compose/ankisyncd.env.example")) {
            try {
                Files.createDirectories(copy.resolve(file).getParent());
                Files.copy(repo.resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copy;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
