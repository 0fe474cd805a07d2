package org.ankisync.cluster;

import java.util.Map;
import java.util.Optional;

/**
 * The settings of a node in a cluster, from the same merged settings as the
 * rest of the server (environment over {@code ankisyncd.conf}).
 *
 * @param nodeName         this node's name in the directory ({@code ANKISYNCD_NODE_NAME})
 * @param publicEndpoint   the base URL clients use for this node, ending in {@code /}
 *                         ({@code ANKISYNCD_PUBLIC_ENDPOINT}); what other nodes redirect to
 * @param internalEndpoint where the node command and other nodes reach {@code /cluster/}
 *                         ({@code ANKISYNCD_INTERNAL_ENDPOINT}, default the public one)
 * @param databaseUrl      the PostgreSQL database of the directory ({@code ANKISYNCD_DATABASE_URL}:
 *                         {@code jdbc:postgresql://...} or {@code postgresql://...})
 * @param databaseUser     {@code ANKISYNCD_DATABASE_USER}, or empty (then from the URL)
 * @param databasePassword {@code ANKISYNCD_DATABASE_PASSWORD}, or empty
 * @param secret           the shared secret of the {@code /cluster/} endpoints ({@code ANKISYNCD_CLUSTER_SECRET})
 */
public record ClusterSettings(String nodeName, String publicEndpoint, String internalEndpoint, String databaseUrl,
                              Optional<String> databaseUser, Optional<String> databasePassword, String secret) {
    public static final String CLUSTER = "ANKISYNCD_CLUSTER";
    public static final String NODE_NAME = "ANKISYNCD_NODE_NAME";
    public static final String PUBLIC_ENDPOINT = "ANKISYNCD_PUBLIC_ENDPOINT";
    public static final String INTERNAL_ENDPOINT = "ANKISYNCD_INTERNAL_ENDPOINT";
    public static final String DATABASE_URL = "ANKISYNCD_DATABASE_URL";
    public static final String DATABASE_USER = "ANKISYNCD_DATABASE_USER";
    public static final String DATABASE_PASSWORD = "ANKISYNCD_DATABASE_PASSWORD";
    public static final String SECRET = "ANKISYNCD_CLUSTER_SECRET";

    /** Whether {@code ANKISYNCD_CLUSTER=postgres} asks for several nodes (anything else but empty/off is an error). */
    public static boolean enabled(Map<String, String> settings) {
        String mode = settings.getOrDefault(CLUSTER, "").trim();
        if (mode.isEmpty() || mode.equals("off")) {
            return false;
        }
        if (!mode.equals("postgres")) {
            throw new IllegalArgumentException(CLUSTER + " must be 'postgres' or 'off', not '" + mode + "'");
        }
        return true;
    }

    /** A serving node's settings: every value required. */
    public static ClusterSettings forNode(Map<String, String> settings) {
        String publicEndpoint = endpoint(settings, PUBLIC_ENDPOINT, required(settings, PUBLIC_ENDPOINT));
        return new ClusterSettings(required(settings, NODE_NAME), publicEndpoint,
                endpoint(settings, INTERNAL_ENDPOINT, settings.getOrDefault(INTERNAL_ENDPOINT, publicEndpoint)),
                jdbcUrl(required(settings, DATABASE_URL)), optional(settings, DATABASE_USER),
                optional(settings, DATABASE_PASSWORD), secret(settings));
    }

    /** The node command's settings: the database and the secret, no node of its own. */
    public static ClusterSettings forCommand(Map<String, String> settings) {
        return new ClusterSettings("", "", "", jdbcUrl(required(settings, DATABASE_URL)),
                optional(settings, DATABASE_USER), optional(settings, DATABASE_PASSWORD), secret(settings));
    }

    private static String secret(Map<String, String> settings) {
        String secret = required(settings, SECRET);
        if (secret.length() < 16) {
            throw new IllegalArgumentException(SECRET + " must be at least 16 characters");
        }
        return secret;
    }

    private static String jdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3);
        }
        throw new IllegalArgumentException(DATABASE_URL + " must start with jdbc:postgresql: or postgresql://");
    }

    private static String endpoint(Map<String, String> settings, String key, String value) {
        if (!(value.startsWith("http://") || value.startsWith("https://")) || !value.endsWith("/")) {
            throw new IllegalArgumentException(key + " must be an http(s) base URL ending in '/', like "
                    + "https://sync2.example.com/ (not '" + value + "')");
        }
        return value;
    }

    private static String required(Map<String, String> settings, String key) {
        return optional(settings, key).orElseThrow(() -> new IllegalArgumentException(
                key + " is required with " + CLUSTER + "=postgres"));
    }

    private static Optional<String> optional(Map<String, String> settings, String key) {
        return Optional.ofNullable(settings.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
