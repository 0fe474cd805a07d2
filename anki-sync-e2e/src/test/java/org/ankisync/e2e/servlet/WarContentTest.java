package org.ankisync.e2e.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** What anki.war carries: the core and its libraries, a JUL slf4j binding, no servlet API, nothing test-only. */
class WarContentTest {

    @Test
    void theWarShipsTheCoreAndItsLibrariesOnly() throws IOException {
        List<String> libraries;
        try (ZipFile war = new ZipFile(System.getProperty("anki.war"))) {
            assertNotNull(war.getEntry("WEB-INF/web.xml"));
            assertNotNull(war.getEntry("WEB-INF/classes/org/ankisync/servlet/SyncServlet.class"));
            libraries = war.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("WEB-INF/lib/".length()))
                    .sorted()
                    .toList();
        }
        for (String expected : List.of(
                "anki-sync-core-",
                "anki-sync-auth-",
                "anki-sync-media-",
                "jackson-databind-",
                "sqlite-jdbc-",
                "zstd-jni-",
                "slf4j-api-",
                "slf4j-jdk14-")) {
            assertTrue(libraries.stream().anyMatch(l -> l.startsWith(expected)), expected + " in " + libraries);
        }
        for (String unwanted : List.of(
                "servlet-api",
                "tomcat",
                "anki-android-backend",
                "kotlin",
                "jna",
                "junit",
                "slf4j-simple",
                "undertow")) {
            assertFalse(libraries.stream().anyMatch(l -> l.contains(unwanted)), unwanted + " in " + libraries);
        }
    }
}
