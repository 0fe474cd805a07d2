package org.ankisync.e2e.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 test server starts, and the harness's own calls (create, put, list, get) work on it. */
class S3ServerTest {
    @TempDir
    Path temp;

    @Test
    void startsAndStoresObjectsUnderUnicodeKeys() throws Exception {
        try (S3Server s3 = S3Server.start(temp.resolve("moto.log"))) {
            s3.createBucket("harness-check");
            byte[] content = "été 🎵".getBytes(StandardCharsets.UTF_8);
            s3.put("harness-check", "p/user/caf\u00e9 & <x>.txt", content);
            s3.put("harness-check", "q/other", new byte[] {1});
            assertEquals(List.of("p/user/caf\u00e9 & <x>.txt"), s3.keys("harness-check", "p/"));
            try (InputStream in = s3.open("harness-check", "p/user/caf\u00e9 & <x>.txt")) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }
}
