package org.ankisync.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A configuration file exactly as the project ships it, with only the values
 * every installation changes (host name, ports, certificate paths) replaced.
 * Each replaced text must be there, so a test cannot silently drift from the
 * file it claims to test.
 */
final class ShippedConfig {
    private final String name;
    private String text;

    private ShippedConfig(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** A file under the repository's {@code deploy/} folder, e.g. {@code nginx/ankisyncd-proxy.conf}. */
    static ShippedConfig of(String relative) {
        Path file = repository().resolve("deploy").resolve(relative);
        try {
            return new ShippedConfig(relative, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's top folder (a system property set by the build). */
    static Path repository() {
        String root = System.getProperty("ankisyncd.repo");
        if (root == null) {
            throw new IllegalStateException("system property ankisyncd.repo is not set: run the tests through Maven");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** Replaces every occurrence of {@code literal}, which must occur. */
    ShippedConfig replace(String literal, String replacement) {
        assertTrue(text.contains(literal), () -> name + " no longer contains \"" + literal + "\"");
        text = text.replace(literal, replacement);
        return this;
    }

    /** Drops the lines containing {@code fragment} (at least one must). */
    ShippedConfig withoutLinesContaining(String fragment) {
        assertTrue(text.contains(fragment), () -> name + " no longer contains \"" + fragment + "\"");
        text = text.lines().filter(line -> !line.contains(fragment)).collect(Collectors.joining("\n", "", "\n"));
        return this;
    }

    String text() {
        return text;
    }

    /** Writes the file to {@code target}; returns it. */
    Path writeTo(Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, text);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
