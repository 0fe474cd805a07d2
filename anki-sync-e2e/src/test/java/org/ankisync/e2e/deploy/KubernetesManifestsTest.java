package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes/}: every one validates offline and
 * strictly (no unknown fields) against the schemas of a recent Kubernetes with
 * {@code kubernetes-validate} (pinned, from the test tools' virtual environment), the
 * kustomization lists them all, and every {@code ANKISYNCD_*} name they set is one the
 * server reads.
 */
class KubernetesManifestsTest {
    /** The Kubernetes version whose schemas the manifests must satisfy. */
    private static final String KUBERNETES_VERSION = "1.37.0";

    private static final Pattern SETTING = Pattern.compile("ANKISYNCD_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern SETTING_LITERAL = Pattern.compile("\"(ANKISYNCD_[A-Z0-9_]*[A-Z0-9])\"");

    private final Path repo = ShippedConfig.repository();
    private final Path folder = repo.resolve("deploy/kubernetes");

    @TempDir
    Path temp;

    @Test
    void everyManifestValidatesStrictly() throws IOException {
        List<Path> manifests = manifests();
        assertTrue(manifests.size() >= 6, manifests::toString);
        for (Path manifest : manifests) {
            Processes.Result result = validate(manifest);
            assertEquals(0, result.exitCode(), manifest + ":\n" + result.output());
            assertTrue(result.output().contains("passed"), manifest + ":\n" + result.output());
        }
    }

    @Test
    void theValidatorRejectsAnUnknownField() throws IOException {
        // the check above can fail: a field Kubernetes does not know is an error in strict mode
        String statefulSet = Files.readString(folder.resolve("statefulset.yaml"));
        String broken = statefulSet.replace(
                "      automountServiceAccountToken: false\n",
                "      automountServiceAccountToken: false\n      automountServiceAcountToken: false\n");
        assertNotEquals(statefulSet, broken);
        Path copy = Files.writeString(temp.resolve("statefulset.yaml"), broken);
        Processes.Result result = validate(copy);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("automountServiceAcountToken"), result.output());
    }

    @Test
    void theKustomizationListsEveryManifestButTheSecretsExample() throws IOException {
        String kustomization = Files.readString(folder.resolve("kustomization.yaml"));
        Set<String> listed = new TreeSet<>();
        Matcher resource = Pattern.compile("(?m)^  - ([\\w.-]+\\.yaml)$").matcher(kustomization);
        while (resource.find()) {
            listed.add(resource.group(1));
        }
        Set<String> expected = new TreeSet<>();
        for (Path manifest : manifests()) {
            String name = manifest.getFileName().toString();
            if (!name.endsWith(".example.yaml")) {
                expected.add(name);
            }
        }
        assertEquals(expected, listed);
    }

    @Test
    void everySettingTheManifestsSetIsOneTheServerReads() throws IOException {
        Set<String> read = settingsReadByTheCode();
        assertTrue(read.contains("ANKISYNCD_MEDIA_STORE") && read.contains("ANKISYNCD_S3_BUCKET"), read::toString);
        Set<String> unknown = new TreeSet<>();
        for (Path manifest : manifests()) {
            Matcher setting = SETTING.matcher(Files.readString(manifest));
            while (setting.find()) {
                String name = setting.group();
                if (!read.contains(name)) {
                    unknown.add(manifest.getFileName() + ": " + name);
                }
            }
        }
        assertEquals(Set.of(), unknown, "settings no code reads");
    }

    @Test
    void theProbesUseTheServersHealthAndReadinessRoutes() throws IOException {
        String statefulSet = Files.readString(folder.resolve("statefulset.yaml"));
        assertTrue(
                statefulSet.contains("readinessProbe:\n            httpGet:\n              path: /ready\n"),
                statefulSet);
        assertTrue(
                statefulSet.contains("livenessProbe:\n            httpGet:\n              path: /health\n"),
                statefulSet);
        // the same routes the launcher serves (core's Route) and the image's HEALTHCHECK asks
        String routes =
                Files.readString(repo.resolve("anki-sync-core/src/main/java/org/ankisync/core/http/Route.java"));
        assertTrue(routes.contains("HEALTH(\"health\")") && routes.contains("READY(\"ready\")"), routes);
    }

    private Processes.Result validate(Path manifest) {
        Path validator =
                Path.of(System.getProperty("tools.venv")).resolve("bin").resolve("kubernetes-validate");
        assertTrue(Files.isExecutable(validator), validator + " is missing: run the tests through Maven");
        return Processes.exec(
                repo,
                Map.of(),
                List.of(
                        validator.toString(),
                        "--strict",
                        "--kubernetes-version",
                        KUBERNETES_VERSION,
                        manifest.toString()));
    }

    /** The Kubernetes resources: every YAML file but the kustomization (a kustomize file, not a resource). */
    private List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }

    /** Every {@code "ANKISYNCD_..."} string constant in the modules' main sources. */
    private Set<String> settingsReadByTheCode() throws IOException {
        Set<String> read = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("anki-sync-"))
                    .toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                    }
                }
            }
        }
        for (Path source : sources) {
            Matcher literal = SETTING_LITERAL.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (literal.find()) {
                read.add(literal.group(1));
            }
        }
        return read;
    }
}
