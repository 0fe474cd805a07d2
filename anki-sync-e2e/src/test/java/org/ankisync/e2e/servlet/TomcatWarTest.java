package org.ankisync.e2e.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ankisync.e2e.collection.SharedScenarios;
import org.ankisync.e2e.harness.PythonDevice;
import org.ankisync.e2e.harness.TomcatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * anki.war in a real Tomcat 11 under {@code /anki}: the official client syncs
 * through {@code http://127.0.0.1:<port>/anki/}.
 *
 * <p>The settings come from all three places of the documented order: users
 * from the environment; the collections path from a context parameter, with
 * decoys in JNDI and the environment that must lose; the payload limit from
 * JNDI (100 MiB), beating the environment's 1 MiB, under which the 8 MiB media
 * file could not be uploaded.
 */
class TomcatWarTest {
    @TempDir
    Path temp;

    private TomcatServer tomcat;

    @BeforeEach
    void start() {
        tomcat = TomcatServer.start(
                temp.resolve("tomcat"),
                temp.resolve("collections"),
                Map.of(
                        "ANKISYNCD_COLLECTIONS_PATH",
                        temp.resolve("decoy-env").toString(),
                        "ANKISYNCD_MAX_UPLOAD_MB",
                        "1"),
                Map.of(
                        "ANKISYNCD_COLLECTIONS_PATH",
                        temp.resolve("decoy-jndi").toString(),
                        "ANKISYNCD_MAX_UPLOAD_MB",
                        "100"));
    }

    @AfterEach
    void stop() {
        tomcat.close();
    }

    @Test
    void loginFullUploadAndFullDownload() {
        assertTrue(tomcat.endpoint().endsWith("/anki/"), tomcat.endpoint());
        SharedScenarios.uploadThenDownload(tomcat, temp);
        assertTrue(Files.isRegularFile(temp.resolve("collections/alice/collection.anki2")));
        assertFalse(Files.exists(temp.resolve("decoy-env")), "the context parameter beats the environment");
        assertFalse(Files.exists(temp.resolve("decoy-jndi")), "the context parameter beats JNDI");
        // Issue 13: /ready and /metrics under the context path, counting what just happened.
        assertEquals(200, get(tomcat.endpoint() + "ready").statusCode());
        HttpResponse<String> metrics = get(tomcat.endpoint() + "metrics");
        assertEquals(200, metrics.statusCode(), metrics.body());
        for (String outcome : new String[] {"full_upload", "full_download"}) {
            Matcher count = Pattern.compile("(?m)^ankisyncd_syncs_total\\{outcome=\"" + outcome + "\"} (\\d+)\\.0$")
                    .matcher(metrics.body());
            assertTrue(count.find() && Integer.parseInt(count.group(1)) >= 1, outcome + " in\n" + metrics.body());
        }
        assertTrue(metrics.headers().firstValue("X-Request-Id").isPresent(), "request ids in the WAR too");
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void incrementalSyncWithReviews() {
        SharedScenarios.incrementalChanges(tomcat, temp);
    }

    @Test
    void mediaSync() {
        SyncChecks.collectionAndMedia(tomcat, temp);
    }

    @Test
    void aRedeployWhileIdleKeepsEverything() {
        try (PythonDevice a = SharedScenarios.loggedIn(tomcat, temp.resolve("a"))) {
            SharedScenarios.populate(a);
            a.call("add_media", Map.of("files", SyncChecks.mediaFiles("before")));
            assertEquals("full_upload", SharedScenarios.sync(a, null));
            a.call("sync_media");

            tomcat.redeploy();
            assertEquals(
                    1,
                    tomcat.countInLog("sync stopped; running sessions rolled back"),
                    "the old application was destroyed");

            // A keeps its login and syncs normally; a new device gets everything.
            a.call("review", Map.of("count", 5, "deck", "Geography"));
            a.call("add_notes", Map.of("count", 3, "deck", "After redeploy"));
            SharedScenarios.normalSync(a);
            try (PythonDevice b = SharedScenarios.loggedIn(tomcat, temp.resolve("b"))) {
                assertEquals("full_download", SharedScenarios.sync(b, null));
                b.call("sync_media");
                SharedScenarios.assertSameContent(a, b);
                assertEquals(203, b.counts().notes());
            }
        }
    }
}
