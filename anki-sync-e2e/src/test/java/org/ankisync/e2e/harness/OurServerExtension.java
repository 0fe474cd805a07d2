package org.ankisync.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Our server in this JVM for the length of a test class or of each test, with its data in a
 * temporary folder that is deleted afterwards:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OurServerExtension SERVER = new OurServerExtension();   // one server for the class
 *
 * @RegisterExtension
 * final OurServerExtension server = new OurServerExtension();          // a fresh server for each test
 * }</pre>
 *
 * JUnit calls the class callbacks only for a static field, so which ones arrive tells the two
 * apart. The server starts before the class's own {@code @BeforeAll} or {@code @BeforeEach}
 * methods run, and stops after its {@code @AfterAll} or {@code @AfterEach} ones.
 */
public final class OurServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> settings;
    private boolean perClass;
    private Path root;
    private OurServer server;

    /** With the {@link TestUsers} and the default settings. */
    public OurServerExtension() {
        this(Map.of());
    }

    /** With extra settings, as for {@link OurServer#start(Path, Map)}. */
    public OurServerExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** The running server; fails outside the tests it was registered for. */
    public OurServer server() {
        if (server == null) {
            throw new IllegalStateException("our server runs only during the tests it is registered for");
        }
        return server;
    }

    /** The running server's sync endpoint, with its trailing slash. */
    public String endpoint() {
        return server().endpoint();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void start() {
        try {
            root = Files.createTempDirectory("ankisync-e2e-server");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = OurServer.start(root.resolve("server"), settings);
    }

    private void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            deleteRecursively(root);
            root = null;
        }
    }

    private static void deleteRecursively(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
