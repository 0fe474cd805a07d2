package org.ankisync.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.config.ConfigException;

/**
 * Where the S3 media store keeps its objects, read from the settings (environment over
 * {@code ankisyncd.conf}).
 *
 * @param bucket          the bucket ({@code ANKISYNCD_S3_BUCKET}, required); it must exist
 * @param prefix          put before every key, without slashes at the ends ({@code ANKISYNCD_S3_PREFIX},
 *                        default none)
 * @param endpoint        another S3-compatible service instead of AWS ({@code ANKISYNCD_S3_ENDPOINT},
 *                        e.g. {@code http://minio:9000})
 * @param region          the signing region ({@code ANKISYNCD_S3_REGION}; default the SDK's own chain
 *                        on AWS, {@code us-east-1} with an endpoint)
 * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 *                        ({@code ANKISYNCD_S3_PATH_STYLE}, true/false; MinIO, Ceph and Garage usually need true)
 * @param accessKeyId     static credentials ({@code ANKISYNCD_S3_ACCESS_KEY_ID}); without them the SDK's
 *                        default chain (AWS_* variables, profiles, container and instance roles)
 * @param secretAccessKey ({@code ANKISYNCD_S3_SECRET_ACCESS_KEY}), set together with the key id
 * @param maxConnections  the HTTP connection pool ({@code ANKISYNCD_S3_MAX_CONNECTIONS}, default 128): a
 *                        media download holds one per file of its batch (at most 25) while it is sent
 */
public record S3Settings(
        String bucket,
        String prefix,
        Optional<URI> endpoint,
        Optional<String> region,
        boolean pathStyle,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        int maxConnections) {
    public static final String BUCKET = "ANKISYNCD_S3_BUCKET";
    public static final String PREFIX = "ANKISYNCD_S3_PREFIX";
    public static final String ENDPOINT = "ANKISYNCD_S3_ENDPOINT";
    public static final String REGION = "ANKISYNCD_S3_REGION";
    public static final String PATH_STYLE = "ANKISYNCD_S3_PATH_STYLE";
    public static final String ACCESS_KEY_ID = "ANKISYNCD_S3_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "ANKISYNCD_S3_SECRET_ACCESS_KEY";
    public static final String MAX_CONNECTIONS = "ANKISYNCD_S3_MAX_CONNECTIONS";
    /** Room left in a 1024-byte key for the user name and the file name. */
    static final int MAX_PREFIX_BYTES = 128;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new ConfigException(BUCKET + " must be set when ANKISYNCD_MEDIA_STORE=s3");
        }
        if (prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES
                || prefix.contains("//")
                || prefix.contains("\\")
                || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(PREFIX + " must be at most " + MAX_PREFIX_BYTES
                    + " bytes without control characters, backslashes or empty path parts, got '" + prefix + "'");
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new ConfigException(ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " must be set together");
        }
        if (maxConnections < 1 || maxConnections > 10_000) {
            throw new ConfigException(MAX_CONNECTIONS + " must be between 1 and 10000, got " + maxConnections);
        }
    }

    public static S3Settings fromSettings(Map<String, String> settings) {
        return new S3Settings(
                text(settings, BUCKET).orElse(""),
                S3Keys.trimSlashes(text(settings, PREFIX).orElse("")),
                text(settings, ENDPOINT).map(S3Settings::endpointUri),
                text(settings, REGION),
                bool(settings, PATH_STYLE),
                text(settings, ACCESS_KEY_ID),
                text(settings, SECRET_ACCESS_KEY),
                number(settings, MAX_CONNECTIONS, 128));
    }

    /** The region to sign for, if one is configured or implied by an endpoint; else the SDK chooses. */
    public Optional<String> signingRegion() {
        return region.isPresent() ? region : endpoint.map(e -> "us-east-1");
    }

    private static URI endpointUri(String raw) {
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new ConfigException(ENDPOINT + " must be an http:// or https:// address, got '" + raw + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(ENDPOINT + " is not an address: '" + raw + "'");
        }
    }

    private static Optional<String> text(Map<String, String> settings, String key) {
        return Optional.ofNullable(settings.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static boolean bool(Map<String, String> settings, String key) {
        String value = text(settings, key).orElse("false").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + value + "'");
        };
    }

    private static int number(Map<String, String> settings, String key, int fallback) {
        Optional<String> raw = text(settings, key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    @Override
    public String toString() {
        // never the secret
        return "S3Settings[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint.orElse(null)
                + ", region=" + region.orElse(null) + ", pathStyle=" + pathStyle + ", staticCredentials="
                + accessKeyId.isPresent() + "]";
    }
}
