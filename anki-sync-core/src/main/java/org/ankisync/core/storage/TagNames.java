package org.ankisync.core.storage;

import java.text.Normalizer;

/** Tag-name normalisation applied to tags received in {@code applyChanges} (collection-sync.md 4.5). */
public final class TagNames {
    private static final String SEPARATOR = "::";

    private TagNames() {}

    /**
     * The official {@code normalize_tag_name}: in each {@code ::} component NFC,
     * remove ASCII control characters, spaces and U+3000, trim Unicode
     * whitespace as Rust does, and replace an empty component by {@code blank}.
     */
    public static String normalise(String tag) {
        String nfc = Normalizer.normalize(tag, Normalizer.Form.NFC);
        String[] parts = nfc.split(SEPARATOR, -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            StringBuilder component = new StringBuilder();
            for (int j = 0; j < parts[i].length(); j++) {
                char c = parts[i].charAt(j);
                if (c < 0x20 || c == 0x7f || c == ' ' || c == '\u3000') {
                    continue;
                }
                component.append(c);
            }
            String cleaned = RustWhitespace.trim(component.toString());
            if (i > 0) {
                out.append(SEPARATOR);
            }
            out.append(cleaned.isEmpty() ? "blank" : cleaned);
        }
        return out.toString();
    }
}
