package org.ankisync.postgres;

import java.util.Map;
import org.ankisync.core.config.ConfigException;

/**
 * Where the PostgreSQL database is and how to log in, from the merged settings
 * (environment over {@code ankisyncd.conf}).
 *
 * @param url      {@code ANKISYNCD_DATABASE_URL}, a {@code jdbc:postgresql://host:port/database} URL
 *                 (it may carry {@code user} and {@code password} parameters itself)
 * @param user     {@code ANKISYNCD_DATABASE_USER}, or null to take the URL's
 * @param password {@code ANKISYNCD_DATABASE_PASSWORD}, or null to take the URL's
 * @param poolSize {@code ANKISYNCD_DATABASE_POOL_SIZE}: connections each pool of a server process
 *                 keeps at most (default {@value #DEFAULT_POOL_SIZE})
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
    public static final String URL = "ANKISYNCD_DATABASE_URL";
    public static final String USER = "ANKISYNCD_DATABASE_USER";
    public static final String PASSWORD = "ANKISYNCD_DATABASE_PASSWORD";
    public static final String POOL_SIZE = "ANKISYNCD_DATABASE_POOL_SIZE";
    public static final int DEFAULT_POOL_SIZE = 4;
    private static final int MAX_POOL_SIZE = 64;
    private static final String PREFIX = "jdbc:postgresql:";

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw new ConfigException(URL + " is required with a PostgreSQL store, for example"
                    + " jdbc:postgresql://127.0.0.1:5432/ankisync");
        }
        if (!url.startsWith(PREFIX)) {
            throw new ConfigException(URL + " must start with " + PREFIX + ", got '" + redacted(url) + "'");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new ConfigException(POOL_SIZE + " must be between 1 and " + MAX_POOL_SIZE + ", got " + poolSize);
        }
    }

    /** Reads the settings; a missing URL or a bad number is a {@link ConfigException}. */
    public static DatabaseSettings fromSettings(Map<String, String> settings) {
        String url = trimmed(settings.get(URL));
        String poolSize = trimmed(settings.get(POOL_SIZE));
        int size;
        try {
            size = poolSize == null ? DEFAULT_POOL_SIZE : Integer.parseInt(poolSize);
        } catch (NumberFormatException e) {
            throw new ConfigException(POOL_SIZE + " must be a number, got '" + poolSize + "'");
        }
        // The password is taken as written: spaces may belong to it.
        String password = settings.get(PASSWORD);
        return new DatabaseSettings(
                url, trimmed(settings.get(USER)), password == null || password.isEmpty() ? null : password, size);
    }

    /** The URL without its query (which may hold a password), for messages and logs. */
    public String safeUrl() {
        return redacted(url);
    }

    private static String redacted(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + safeUrl() + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
