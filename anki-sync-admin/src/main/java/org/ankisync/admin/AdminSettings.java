package org.ankisync.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ankisync.auth.Pbkdf2;
import org.ankisync.core.config.ConfigException;

/**
 * The admin area's settings. It is off unless a password hash is configured:
 * {@code ANKISYNCD_ADMIN_PASSWORD} (a PBKDF2 PHC string) or
 * {@code ANKISYNCD_ADMIN_PASSWORD_FILE} (a file whose first line is one). A
 * plain password is refused, so the secret never sits readable in the
 * environment or a configuration file.
 *
 * @param passwordHash the PHC string; empty when the admin area is off
 * @param host         the admin listener's address (its own port; loopback by default)
 * @param port         the admin listener's port
 * @param path         when set (e.g. {@code /admin}), the admin area is served under this path of the
 *                     sync listener instead of on its own port
 * @param secureCookie {@code auto} (Secure when the request came through HTTPS, as
 *                     {@code X-Forwarded-Proto} says), {@code always} or {@code never}
 */
public record AdminSettings(
        Optional<String> passwordHash, String host, int port, Optional<String> path, String secureCookie) {
    public static final String PASSWORD = "ANKISYNCD_ADMIN_PASSWORD";
    public static final String PASSWORD_FILE = "ANKISYNCD_ADMIN_PASSWORD_FILE";
    public static final String HOST = "ANKISYNCD_ADMIN_HOST";
    public static final String PORT = "ANKISYNCD_ADMIN_PORT";
    public static final String PATH = "ANKISYNCD_ADMIN_PATH";
    public static final String SECURE_COOKIE = "ANKISYNCD_ADMIN_SECURE_COOKIE";
    public static final int DEFAULT_PORT = 27702;
    static final String HASH_HINT = "make a hash with: java -jar ankisyncd.jar admin hash-password";

    public AdminSettings {
        if (port < 0 || port > 65535) {
            throw new ConfigException(PORT + " must be between 0 and 65535, got " + port);
        }
        if (!secureCookie.equals("auto") && !secureCookie.equals("always") && !secureCookie.equals("never")) {
            throw new ConfigException(SECURE_COOKIE + " must be auto, always or never, got '" + secureCookie + "'");
        }
    }

    /** Reads the keys from merged settings (environment over {@code ankisyncd.conf}). */
    public static AdminSettings fromSettings(Map<String, String> settings) {
        Optional<String> hash = passwordHash(settings);
        String host = settings.getOrDefault(HOST, "127.0.0.1").trim();
        int port = DEFAULT_PORT;
        String rawPort = settings.get(PORT);
        if (rawPort != null && !rawPort.isBlank()) {
            try {
                port = Integer.parseInt(rawPort.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(PORT + " must be a whole number, got '" + rawPort + "'");
            }
        }
        Optional<String> path = Optional.ofNullable(settings.get(PATH))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .map(AdminSettings::normalisePath);
        String secure = settings.getOrDefault(SECURE_COOKIE, "auto").trim().toLowerCase(Locale.ROOT);
        return new AdminSettings(hash, host, port, path, secure);
    }

    /** Whether the admin area is served at all. */
    public boolean enabled() {
        return passwordHash.isPresent();
    }

    private static Optional<String> passwordHash(Map<String, String> settings) {
        String inline = settings.get(PASSWORD);
        String file = settings.get(PASSWORD_FILE);
        if (inline != null && !inline.isBlank() && file != null && !file.isBlank()) {
            throw new ConfigException("set only one of " + PASSWORD + " and " + PASSWORD_FILE);
        }
        String value;
        String source;
        if (inline != null && !inline.isBlank()) {
            value = inline.trim();
            source = PASSWORD;
        } else if (file != null && !file.isBlank()) {
            value = firstLine(Path.of(file.trim()));
            source = PASSWORD_FILE + " (" + file.trim() + ")";
        } else {
            return Optional.empty();
        }
        if (!Pbkdf2.looksLikePhc(value)) {
            throw new ConfigException(source + " must hold a PBKDF2 PHC hash, not a plain password; " + HASH_HINT);
        }
        Optional<String> problem = Pbkdf2.problem(value);
        if (problem.isPresent()) {
            throw new ConfigException(source + ": " + problem.get());
        }
        return Optional.of(value);
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty())
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(PASSWORD_FILE + " (" + file + ") is empty"));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + PASSWORD_FILE + " (" + file + "): " + e.getMessage());
        }
    }

    /** {@code admin}, {@code /admin/} -> {@code /admin}; the root is refused (sync lives there). */
    private static String normalisePath(String raw) {
        String path = raw.startsWith("/") ? raw : "/" + raw;
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty() || path.equals("/sync") || path.equals("/msync") || path.equals("/health")) {
            throw new ConfigException(PATH + " must be a path of its own such as /admin, got '" + raw + "'");
        }
        if (!path.matches("(/[A-Za-z0-9._~-]+)+") || path.matches(".*/\\.{1,2}(/.*)?")) {
            throw new ConfigException(
                    PATH + " may hold only letters, digits and . _ ~ - between slashes, got '" + raw + "'");
        }
        return path;
    }
}
