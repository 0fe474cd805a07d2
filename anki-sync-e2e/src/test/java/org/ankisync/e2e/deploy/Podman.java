package org.ankisync.e2e.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's podman as the container tests run it: no Docker engine runs on the
 * test machines, and no image registry is reachable. The settings a sandboxed
 * machine needs (vfs storage, cgroupfs, runc, explicit rlimits) come from the
 * test's containers.conf and storage.conf, so that podman-compose's own podman
 * calls get them too.
 */
final class Podman {
    /** The image the tests build from the repository's Dockerfile. */
    static final String IMAGE = "localhost/ankisyncd:e2e-test";
    /** Its Maven stage, tagged to stay in the build cache. */
    static final String BUILD_STAGE = "localhost/ankisyncd:e2e-test-build";

    static final String JRE_BASE = "localhost/ankisyncd-test/jre:bookworm";
    static final String JDK_MAVEN_BASE = "localhost/ankisyncd-test/jdk-maven:bookworm";
    static final String CADDY_BASE = "localhost/ankisyncd-test/caddy:bookworm";

    /** Built in this test run already (a fully cached podman build still takes minutes on vfs storage). */
    private static boolean built;

    private Podman() {}

    /** The environment every podman and podman-compose call of the tests gets. */
    static Map<String, String> environment() {
        Path containers = ShippedConfig.repository().resolve("anki-sync-e2e/src/test/containers");
        return Map.of(
                "CONTAINERS_CONF",
                containers.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF",
                containers.resolve("storage.conf").toString());
    }

    /** Runs podman with {@code args}; fails unless it exits with 0; returns its output. */
    static String run(String... args) {
        Processes.Result result = exec(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    "podman " + String.join(" ", args) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    static Processes.Result exec(String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return Processes.exec(ShippedConfig.repository(), environment(), command);
    }

    /**
     * The base images made from Debian's packages (cached between runs on a
     * machine), then the repository's Dockerfile built with them as its build
     * arguments, never pulling.
     */
    static synchronized void buildImage() {
        if (built) {
            return;
        }
        Path repo = ShippedConfig.repository();
        Path script = repo.resolve("anki-sync-e2e/src/test/sh/debian-base-image.sh");
        baseImage(script, "jre", "openjdk-17-jre-headless");
        // curl: the Dockerfile builds with ./mvnw, which downloads its Maven (Debian's 3.8.7 is too old).
        baseImage(script, "jdk-maven", "openjdk-17-jdk-headless,maven,curl");
        baseImage(script, "caddy", "caddy,ca-certificates");
        List<String> build = List.of(
                "build",
                "--pull=never",
                "--build-arg",
                "BUILD_IMAGE=" + JDK_MAVEN_BASE,
                "--build-arg",
                "RUNTIME_IMAGE=" + JRE_BASE);
        // The Maven stage gets a tag of its own, so that the prune below keeps it as the next run's cache.
        run(concat(build, "--target", "build", "--tag", BUILD_STAGE, repo.toString()));
        // Docker's format: OCI images have no HEALTHCHECK.
        run(concat(build, "--format", "docker", "--tag", IMAGE, repo.toString()));
        // Images of earlier builds (each a full copy on vfs storage) would otherwise fill the disk run by run.
        run("image", "prune", "--force");
        built = true;
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void baseImage(Path script, String name, String packages) {
        Processes.requireTool("debootstrap");
        Processes.Result result =
                Processes.exec(script.getParent(), environment(), List.of("sh", script.toString(), name, packages));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("base image " + name + " failed:\n" + result.output());
        }
    }
}
