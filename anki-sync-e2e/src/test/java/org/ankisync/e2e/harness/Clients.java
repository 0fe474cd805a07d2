package org.ankisync.e2e.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** The official client generations a scenario can run with. */
public enum Clients {
    /** The current client from PyPI, one Python process per device. */
    PYTHON(PythonDevice::open),
    /** Anki 2.1.66 (protocol v11) in this JVM: AnkiDroid's build of Anki's core, one backend per device. */
    JVM(JvmDevice::open);

    private final Function<Path, Device> opener;

    Clients(Function<Path, Device> opener) {
        this.opener = opener;
    }

    /** Opens a device whose collection lives in {@code folder}. */
    public Device open(Path folder) {
        return opener.apply(folder);
    }

    /** Every client generation, for {@code @EnumSource} or {@code @MethodSource}. */
    public static List<Clients> all() {
        return List.of(values());
    }
}
