package org.ankisync.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Reads the committed expectations that {@code tools/text-fidelity-probe/generate.py} recorded from the crates. */
final class PinnedCrateTables {
    private PinnedCrateTables() {}

    static List<String> lines(String resource) throws IOException {
        try (InputStream in = PinnedCrateTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    static String unhex(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
