package org.ankisync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.ankisync.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    @Test
    void readsEverySetting() {
        S3Settings s3 = S3Settings.fromSettings(Map.of(
                S3Settings.BUCKET,
                "media",
                S3Settings.PREFIX,
                "/anki/",
                S3Settings.ENDPOINT,
                "http://minio:9000",
                S3Settings.PATH_STYLE,
                "true",
                S3Settings.ACCESS_KEY_ID,
                "id",
                S3Settings.SECRET_ACCESS_KEY,
                "secret",
                S3Settings.MAX_CONNECTIONS,
                "40"));
        assertEquals("media", s3.bucket());
        assertEquals("anki", s3.prefix());
        assertEquals(Optional.of(URI.create("http://minio:9000")), s3.endpoint());
        assertEquals(Optional.of("us-east-1"), s3.signingRegion());
        assertTrue(s3.pathStyle());
        assertEquals(40, s3.maxConnections());
        assertFalse(s3.toString().contains("secret"));
    }

    @Test
    void onAwsTheRegionIsLeftToTheSdkUnlessSet() {
        assertEquals(
                Optional.empty(),
                S3Settings.fromSettings(Map.of(S3Settings.BUCKET, "b")).signingRegion());
        assertEquals(
                Optional.of("eu-west-1"),
                S3Settings.fromSettings(Map.of(S3Settings.BUCKET, "b", S3Settings.REGION, "eu-west-1"))
                        .signingRegion());
    }

    @Test
    void refusesWhatCannotWork() {
        assertThrows(ConfigException.class, () -> S3Settings.fromSettings(Map.of()));
        assertThrows(
                ConfigException.class,
                () -> S3Settings.fromSettings(Map.of(S3Settings.BUCKET, "b", S3Settings.ACCESS_KEY_ID, "only-the-id")));
        assertThrows(
                ConfigException.class,
                () -> S3Settings.fromSettings(Map.of(S3Settings.BUCKET, "b", S3Settings.ENDPOINT, "minio:9000")));
        assertThrows(
                ConfigException.class,
                () -> S3Settings.fromSettings(Map.of(S3Settings.BUCKET, "b", S3Settings.PATH_STYLE, "maybe")));
        assertThrows(
                ConfigException.class,
                () -> S3Settings.fromSettings(Map.of(S3Settings.BUCKET, "b", S3Settings.PREFIX, "a//b")));
    }
}
