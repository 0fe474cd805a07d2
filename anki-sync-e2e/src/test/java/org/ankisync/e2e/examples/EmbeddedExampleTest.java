package org.ankisync.e2e.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.e2e.servlet.SyncChecks;
import org.ankisync.examples.embedded.EmbeddedSync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/embedded: the official client syncs through a program's own Undertow and own UserStore. */
class EmbeddedExampleTest {
    @TempDir
    Path temp;

    @Test
    void theOfficialClientSyncsCollectionAndMediaThroughTheExample() {
        Path data = temp.resolve("data");
        EmbeddedSync example = new EmbeddedSync(
                "127.0.0.1",
                0,
                data,
                Map.of(TestUsers.ALICE, TestUsers.ALICE_PASSWORD, TestUsers.BOB, TestUsers.BOB_PASSWORD));
        try (SyncServerUnderTest server = wrap(example.endpoint(), data, example)) {
            assertTrue(server.endpoint().endsWith("/anki/"), server.endpoint());
            SyncChecks.collectionAndMedia(server, temp);
            assertTrue(Files.isRegularFile(data.resolve("alice/collection.anki2")));
        }
    }

    static SyncServerUnderTest wrap(String endpoint, Path data, AutoCloseable running) {
        return new SyncServerUnderTest() {
            @Override
            public String endpoint() {
                return endpoint;
            }

            @Override
            public Path dataDir() {
                return data;
            }

            @Override
            public String name() {
                return "example";
            }

            @Override
            public void close() {
                try {
                    running.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
