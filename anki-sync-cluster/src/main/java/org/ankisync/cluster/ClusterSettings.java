package org.ankisync.cluster;

import java.util.Map;
import java.util.Optional;
import org.ankisync.postgres.DatabaseSettings;

/**
 * The settings of a node in a cluster, from the same merged settings as the
 * rest of the server (environment over {@code ankisyncd.conf}). The database is
 * the one of the PostgreSQL account store ({@code ANKISYNCD_DATABASE_*},
 * {@link DatabaseSettings}); the directory lives in its schema {@code cluster}.
 *
 * @param nodeName         this node's name in the directory ({@code ANKISYNCD_NODE_NAME})
 * @param publicEndpoint   the base URL clients use for this node, ending in {@code /}
 *                         ({@code ANKISYNCD_PUBLIC_ENDPOINT}); what other nodes redirect to
 * @param internalEndpoint where the node command and other nodes reach {@code /cluster/}
 *                         ({@code ANKISYNCD_INTERNAL_ENDPOINT}, default the public one)
 * @param database         the PostgreSQL database of the directory
 * @param secret           the shared secret of the {@code /cluster/} endpoints ({@code ANKISYNCD_CLUSTER_SECRET})
 */
public record ClusterSettings(
        String nodeName, String publicEndpoint, String internalEndpoint, DatabaseSettings database, String secret) {
    public static final String CLUSTER = "ANKISYNCD_CLUSTER";
    public static final String NODE_NAME = "ANKISYNCD_NODE_NAME";
    public static final String PUBLIC_ENDPOINT = "ANKISYNCD_PUBLIC_ENDPOINT";
    public static final String INTERNAL_ENDPOINT = "ANKISYNCD_INTERNAL_ENDPOINT";
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
        String publicEndpoint = endpoint(PUBLIC_ENDPOINT, required(settings, PUBLIC_ENDPOINT));
        return new ClusterSettings(
                required(settings, NODE_NAME),
                publicEndpoint,
                endpoint(
                        INTERNAL_ENDPOINT, optional(settings, INTERNAL_ENDPOINT).orElse(publicEndpoint)),
                DatabaseSettings.fromSettings(settings),
                secret(settings));
    }

    /** The node command's settings: the database and the secret, no node of its own. */
    public static ClusterSettings forCommand(Map<String, String> settings) {
        return new ClusterSettings("", "", "", DatabaseSettings.fromSettings(settings), secret(settings));
    }

    private static String secret(Map<String, String> settings) {
        String secret = required(settings, SECRET);
        if (secret.length() < 16) {
            throw new IllegalArgumentException(SECRET + " must be at least 16 characters");
        }
        return secret;
    }

    private static String endpoint(String key, String value) {
        if (!(value.startsWith("http://") || value.startsWith("https://")) || !value.endsWith("/")) {
            throw new IllegalArgumentException(key + " must be an http(s) base URL ending in '/', like "
                    + "https://sync2.example.com/ (not '" + value + "')");
        }
        return value;
    }

    private static String required(Map<String, String> settings, String key) {
        return optional(settings, key)
                .orElseThrow(() -> new IllegalArgumentException(key + " is required with " + CLUSTER + "=postgres"));
    }

    private static Optional<String> optional(Map<String, String> settings, String key) {
        return Optional.ofNullable(settings.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
