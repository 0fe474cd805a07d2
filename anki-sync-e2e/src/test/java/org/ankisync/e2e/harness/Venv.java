package org.ankisync.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** The virtual environment the build made with the pinned official client (see ensure_venv.py). */
public final class Venv {
    private Venv() {}

    public static Path python() {
        Path python = Path.of(property("anki.venv")).resolve("bin").resolve("python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(python + " is missing: run the tests through Maven (mvn verify),"
                    + " which creates the virtual environment");
        }
        return python;
    }

    public static Path driverScript() {
        return Path.of(property("anki.driver"));
    }

    /** Another of the test scripts beside {@code device_driver.py} (src/test/python). */
    public static Path script(String fileName) {
        return driverScript().resolveSibling(fileName);
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven");
        }
        return value;
    }
}
