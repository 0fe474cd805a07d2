package org.ankisync.e2e.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ankisync.e2e.harness.S3Server;
import org.ankisync.media.store.MediaStore;
import org.ankisync.media.store.MediaStoreContract;
import org.ankisync.media.store.MediaStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The media store contract on the S3 store (anki-sync-s3) against an S3-compatible server
 * (moto), chosen the way the launcher chooses it: {@code ANKISYNCD_MEDIA_STORE=s3} through
 * {@link MediaStores}. Each test gets a bucket of its own.
 */
class S3MediaStoreContractTest extends MediaStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Server s3;
    private String bucket;

    @BeforeAll
    static void startS3(@org.junit.jupiter.api.io.TempDir Path logs) {
        s3 = S3Server.start(logs.resolve("moto.log"));
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected MediaStore.Factory factory() {
        bucket = "contract-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        return MediaStores.fromSettings(settings(s3, bucket, "media"));
    }

    /** The settings a deployment gives the launcher for this server. */
    static Map<String, String> settings(S3Server server, String bucket, String prefix) {
        return Map.of(
                "ANKISYNCD_MEDIA_STORE",
                "s3",
                "ANKISYNCD_S3_BUCKET",
                bucket,
                "ANKISYNCD_S3_PREFIX",
                prefix,
                "ANKISYNCD_S3_ENDPOINT",
                server.endpoint(),
                "ANKISYNCD_S3_REGION",
                S3Server.REGION,
                "ANKISYNCD_S3_PATH_STYLE",
                "true",
                "ANKISYNCD_S3_ACCESS_KEY_ID",
                S3Server.ACCESS_KEY_ID,
                "ANKISYNCD_S3_SECRET_ACCESS_KEY",
                S3Server.SECRET_ACCESS_KEY);
    }

    @Test
    void theBytesAreInTheBucketUnderTheUsersPrefixAndNotOnDisk() throws IOException {
        MediaStore dave = store("dave");
        byte[] content = bytes(5000, 11);
        dave.put("caf\u00e9 100%.png", new ByteArrayInputStream(content));
        assertEquals(List.of("media/dave/caf\u00e9 100%25.png"), s3.keys(bucket, "media/dave/"));
        try (InputStream stored = s3.open(bucket, "media/dave/caf\u00e9 100%25.png")) {
            // byte for byte: no aws-chunked framing or checksum trailer stored with the object
            assertArrayEquals(content, stored.readAllBytes());
        }
        try (Stream<Path> left = Files.walk(userFolder("dave"))) {
            assertTrue(left.filter(Files::isRegularFile).findAny().isEmpty(), "files left in the user folder");
        }
    }

    @Test
    void aLargeUploadIsStoredWholeInTheBucket() throws IOException {
        MediaStore erin = store("erin");
        erin.put("big.bin", new PatternStream(LARGE_FILE_BYTES, 12));
        try (InputStream stored = s3.open(bucket, "media/erin/big.bin")) {
            assertEquals(sha1(new PatternStream(LARGE_FILE_BYTES, 12)), sha1(stored));
        }
    }
}
