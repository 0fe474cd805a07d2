package org.ankisync.e2e.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ankisync.e2e.harness.SyncServerUnderTest;
import org.ankisync.e2e.harness.TestUsers;
import org.ankisync.e2e.servlet.SyncChecks;
import org.ankisync.examples.servletinapp.ExistingApp;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/servlet-in-app: the sync servlet registered under {@code /anki/*} in
 * an application at {@code /app}; the official client syncs through
 * {@code http://127.0.0.1:<port>/app/anki/} and the application's own servlet still answers.
 */
class ServletInAppExampleTest {
    @TempDir
    Path temp;

    @Test
    void theOfficialClientSyncsThroughTheSubPathAndTheAppStillAnswers() throws Exception {
        Path data = temp.resolve("data");
        Map<String, String> parameters = new HashMap<>(TestUsers.asEnvironment());
        parameters.put("ANKISYNCD_COLLECTIONS_PATH", data.toString());
        Tomcat tomcat = ExistingApp.start(0, temp.resolve("tomcat"), parameters);
        String base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/app/";
        try (SyncServerUnderTest server = EmbeddedExampleTest.wrap(base + "anki/", data, () -> {
            tomcat.stop();
            tomcat.destroy();
        })) {
            HttpResponse<String> hello = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(base + "hello")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals("hello from the existing application", hello.body());
            SyncChecks.collectionAndMedia(server, temp);
            assertTrue(Files.isRegularFile(data.resolve("alice/collection.anki2")));
        }
    }
}
