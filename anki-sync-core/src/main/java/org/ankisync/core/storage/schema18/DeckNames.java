package org.ankisync.core.storage.schema18;

import java.text.Normalizer;
import org.ankisync.core.storage.RustWhitespace;

/**
 * Deck names: the native form stored in schema 18 (components joined by
 * U+001F) and the human form of the legacy JSON (components joined by
 * {@code ::}), with the normalisation of collection-sync.md A.5.
 */
public final class DeckNames {

    /** The separator of the native (stored) form. */
    public static final char NATIVE_SEPARATOR = '\u001f';

    private DeckNames() {}

    /** Native → human: U+001F becomes {@code ::}. */
    public static String toHuman(String nativeName) {
        return nativeName.replace(String.valueOf(NATIVE_SEPARATOR), "::");
    }

    /**
     * Human → native, normalising every component: NFC, ASCII control
     * characters removed, whitespace and {@code :} trimmed at both ends, and
     * {@code blank} for a component left empty.
     */
    public static String fromHuman(String humanName) {
        StringBuilder out = new StringBuilder(humanName.length());
        int start = 0;
        while (true) {
            int next = humanName.indexOf("::", start);
            String component = next < 0 ? humanName.substring(start) : humanName.substring(start, next);
            if (out.length() > 0 || start > 0) {
                out.append(NATIVE_SEPARATOR);
            }
            out.append(normalizeComponent(component));
            if (next < 0) {
                return out.toString();
            }
            start = next + 2;
        }
    }

    static String normalizeComponent(String component) {
        String nfc = Normalizer.normalize(component, Normalizer.Form.NFC);
        StringBuilder kept = new StringBuilder(nfc.length());
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                continue;
            }
            kept.append(c);
        }
        int begin = 0;
        int end = kept.length();
        while (begin < end && trimmable(kept.charAt(begin))) {
            begin++;
        }
        while (end > begin && trimmable(kept.charAt(end - 1))) {
            end--;
        }
        return begin == end ? "blank" : kept.substring(begin, end);
    }

    /** Rust's {@code char::is_whitespace} (Unicode White_Space) or {@code :}. */
    private static boolean trimmable(char c) {
        return c == ':' || RustWhitespace.isWhitespace(c);
    }
}
