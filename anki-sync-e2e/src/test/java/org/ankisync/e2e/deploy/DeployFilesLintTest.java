package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files pass the tools that judge them: Debian's
 * {@code systemd-analyze verify} (the unit), {@code shellcheck} (every shell
 * script of the repository), {@code hadolint} from PyPI (the Dockerfile),
 * {@code caddy validate} (the compose Caddyfile) and {@code apache2 -t} (the
 * Apache httpd snippet, with the modules it names).
 */
class DeployFilesLintTest {
    private final Path repo = ShippedConfig.repository();

    @Test
    void systemdAcceptsTheUnit() {
        Path unit = repo.resolve("deploy/systemd/ankisyncd.service");
        Processes.Result result = Processes.exec(repo, Map.of(), List.of("systemd-analyze", "verify", unit.toString()));
        assertEquals(0, result.exitCode(), result.output());
        // verify also exits 0 on warnings about the unit; there must be none.
        assertFalse(result.output().contains("ankisyncd.service"), result.output());
    }

    @Test
    void shellcheckPassesOnEveryScript() {
        List<Path> scripts = shellScripts();
        assertTrue(scripts.contains(repo.resolve("scripts/ankisyncd.sh")), scripts::toString);
        List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
        scripts.forEach(script -> command.add(script.toString()));
        Processes.Result result = Processes.exec(repo, Map.of(), command);
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void hadolintPassesOnTheDockerfile() {
        Processes.Result result = Processes.exec(
                repo,
                Map.of(),
                List.of(
                        DeployTools.hadolint().toString(),
                        repo.resolve("Dockerfile").toString()));
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void caddyAcceptsTheComposeCaddyfile() {
        Processes.Result result = Processes.exec(
                repo,
                Map.of(
                        "ANKISYNCD_DOMAIN",
                        "localhost",
                        "HOME",
                        repo.resolve("anki-sync-e2e/target").toString()),
                List.of(
                        "/usr/bin/caddy",
                        "validate",
                        "--adapter",
                        "caddyfile",
                        "--config",
                        repo.resolve("deploy/compose/Caddyfile").toString()));
        assertEquals(0, result.exitCode(), result.output());
    }

    /** Files under the repository (not build output) that are shell scripts by name or first line. */
    private List<Path> shellScripts() {
        try (Stream<Path> files = Files.walk(repo)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !repo.relativize(f).toString().matches("(.*/)?(target|\\.git|node_modules)/.*"))
                    .filter(f -> !repo.relativize(f).toString().startsWith(".git"))
                    .filter(this::isShellScript)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isShellScript(Path file) {
        if (file.getFileName().toString().endsWith(".sh")) {
            return true;
        }
        try (var in = Files.newInputStream(file)) {
            String start = new String(in.readNBytes(40), StandardCharsets.ISO_8859_1);
            return start.matches("(?s)#!\\s*(/usr)?/bin/(env\\s+)?(ba|da)?sh\\b.*");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
