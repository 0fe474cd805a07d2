package org.ankisync.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The server's settings, read once at start-up and then passed around as a
 * plain value. Sources, strongest first: environment variables, then the
 * {@code ankisyncd.conf} file (same keys, {@code KEY=value} lines), then defaults.
 *
 * @param host                 address to bind ({@code ANKISYNCD_HOST})
 * @param port                 TCP port ({@code ANKISYNCD_PORT})
 * @param collectionsPath      folder holding one sub-folder per user ({@code ANKISYNCD_COLLECTIONS_PATH})
 * @param authDbPath           the account database ({@code ANKISYNCD_AUTH_DB_PATH})
 * @param logLevel             trace, debug, info, warn or error ({@code ANKISYNCD_LOG_LEVEL})
 * @param maxPayloadMegabytes  size limit in MiB ({@code ANKISYNCD_MAX_UPLOAD_MB}, or the
 *                             official {@code MAX_SYNC_PAYLOAD_MEGS}); decompressed bodies
 *                             may be up to three times this, as in the official server
 * @param auth                 user store, trusted proxies and login throttling ({@code ANKISYNCD_AUTH_*},
 *                             {@code ANKISYNCD_TRUSTED_PROXIES}, {@code ANKISYNCD_LOGIN_*})
 * @param stallTimeoutSeconds  a connection whose request or reply stops moving for this long is
 *                             closed ({@code ANKISYNCD_STALL_TIMEOUT_SECONDS}; clients give up after
 *                             30-60 s themselves)
 * @param history              snapshots and media trash ({@code ANKISYNCD_SNAPSHOT*}, {@code ANKISYNCD_MEDIA_TRASH_DAYS})
 */
public record ServerConfig(
        String host,
        int port,
        Path collectionsPath,
        Path authDbPath,
        String logLevel,
        int maxPayloadMegabytes,
        AuthSettings auth,
        int stallTimeoutSeconds,
        HistorySettings history) {

    public static final String HOST = "ANKISYNCD_HOST";
    public static final String PORT = "ANKISYNCD_PORT";
    public static final String COLLECTIONS_PATH = "ANKISYNCD_COLLECTIONS_PATH";
    public static final String AUTH_DB_PATH = "ANKISYNCD_AUTH_DB_PATH";
    public static final String LOG_LEVEL = "ANKISYNCD_LOG_LEVEL";
    public static final String MAX_UPLOAD_MB = "ANKISYNCD_MAX_UPLOAD_MB";
    /** The official server's name for the same limit. */
    public static final String OFFICIAL_MAX_PAYLOAD = "MAX_SYNC_PAYLOAD_MEGS";

    public static final String STALL_TIMEOUT_SECONDS = "ANKISYNCD_STALL_TIMEOUT_SECONDS";
    /** Where to find the configuration file; default {@code ./ankisyncd.conf} if it exists. */
    public static final String CONFIG_FILE = "ANKISYNCD_CONFIG";

    public static final int DEFAULT_PORT = 27701;
    public static final int DEFAULT_MAX_PAYLOAD_MB = 100;
    public static final int DEFAULT_STALL_TIMEOUT_SECONDS = 120;
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigException(HOST + " must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(PORT + " must be between 0 and 65535, got " + port);
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException(LOG_LEVEL + " must be one of " + LOG_LEVELS + ", got '" + logLevel + "'");
        }
        if (maxPayloadMegabytes < 1 || maxPayloadMegabytes > 4096) {
            throw new ConfigException(MAX_UPLOAD_MB + " must be between 1 and 4096, got " + maxPayloadMegabytes);
        }
        if (auth == null) {
            throw new ConfigException("auth settings missing");
        }
        if (history == null) {
            throw new ConfigException("history settings missing");
        }
        if (stallTimeoutSeconds < 1 || stallTimeoutSeconds > 3600) {
            throw new ConfigException(
                    STALL_TIMEOUT_SECONDS + " must be between 1 and 3600, got " + stallTimeoutSeconds);
        }
    }

    /** Defaults suitable for a local test: loopback, port 27701, data under {@code ./collections}. */
    public static ServerConfig defaults() {
        return fromSettings(Map.of());
    }

    /** Reads the environment and, if present, the configuration file it names (or {@code ./ankisyncd.conf}). */
    public static ServerConfig load(Map<String, String> environment) {
        return fromSettings(settings(environment));
    }

    /**
     * The merged settings {@link #load} reads (environment over the file), for
     * the other settings records ({@link OpsSettings}, the admin pages' settings), so every key
     * can live in either place.
     */
    public static Map<String, String> settings(Map<String, String> environment) {
        Map<String, String> settings = new HashMap<>();
        Path file =
                Optional.ofNullable(environment.get(CONFIG_FILE)).map(Path::of).orElse(Path.of("ankisyncd.conf"));
        if (environment.containsKey(CONFIG_FILE) && !Files.isRegularFile(file)) {
            throw new ConfigException(CONFIG_FILE + " names " + file + ", which is not a readable file");
        }
        if (Files.isRegularFile(file)) {
            settings.putAll(readFile(file));
        }
        environment.forEach((key, value) -> {
            if (key.startsWith("ANKISYNCD_") || key.equals(OFFICIAL_MAX_PAYLOAD)) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    /** Builds a configuration from already merged key/value settings. */
    public static ServerConfig fromSettings(Map<String, String> settings) {
        String host = settings.getOrDefault(HOST, "127.0.0.1").trim();
        int port = integer(settings, PORT, DEFAULT_PORT);
        Path collections =
                Path.of(settings.getOrDefault(COLLECTIONS_PATH, "./collections").trim());
        Path authDb = Path.of(settings.getOrDefault(AUTH_DB_PATH, "./users.db").trim());
        String level = settings.getOrDefault(LOG_LEVEL, "info").trim().toLowerCase(Locale.ROOT);
        int maxPayload = settings.containsKey(MAX_UPLOAD_MB)
                ? integer(settings, MAX_UPLOAD_MB, DEFAULT_MAX_PAYLOAD_MB)
                : integer(settings, OFFICIAL_MAX_PAYLOAD, DEFAULT_MAX_PAYLOAD_MB);
        int stallTimeout = integer(settings, STALL_TIMEOUT_SECONDS, DEFAULT_STALL_TIMEOUT_SECONDS);
        return new ServerConfig(
                host,
                port,
                collections,
                authDb,
                level,
                maxPayload,
                AuthSettings.fromSettings(settings),
                stallTimeout,
                HistorySettings.fromSettings(settings));
    }

    /** Largest decompressed request body accepted, in bytes (3 x the payload limit, as the official server). */
    public long maxUncompressedBytes() {
        return 3L * maxPayloadMegabytes * 1024 * 1024;
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                host,
                newPort,
                collectionsPath,
                authDbPath,
                logLevel,
                maxPayloadMegabytes,
                auth,
                stallTimeoutSeconds,
                history);
    }

    public ServerConfig withCollectionsPath(Path path) {
        return new ServerConfig(
                host, port, path, authDbPath, logLevel, maxPayloadMegabytes, auth, stallTimeoutSeconds, history);
    }

    private static int integer(Map<String, String> settings, String key, int fallback) {
        String raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + raw + "'");
        }
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name.trim(), properties.getProperty(name).trim());
        }
        return values;
    }
}
