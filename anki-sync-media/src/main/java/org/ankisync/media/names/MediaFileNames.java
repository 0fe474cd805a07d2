package org.ankisync.media.names;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Optional;
import org.ankisync.media.MediaLimits;

/**
 * The server's rules for media file names (media-sync.md sections 3.3 and 6.1).
 * A name that passes is a single path element: it cannot name a parent folder,
 * a sub-folder, or anything outside the user's media folder, on Unix or Windows.
 *
 * <p>The server does not rewrite names: clients send names already in NFC and
 * look files up by the exact name, so a name that is not NFC is refused rather
 * than silently changed.
 */
public final class MediaFileNames {

    private MediaFileNames() {}

    /** Why {@code name} is refused, or empty if it is acceptable. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("empty filename");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MediaLimits.MAX_NAME_BYTES) {
            return Optional.of("filename too long: " + bytes);
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("filename is a relative folder: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return Optional.of("filename contained separator: " + printable(name));
            }
            if (c == '\0') {
                return Optional.of("filename contained NUL");
            }
            if (Character.isSurrogate(c) && !validSurrogatePair(name, i)) {
                return Optional.of("filename contained an unpaired surrogate");
            }
        }
        if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) {
            return Optional.of("filename was not in nfc: " + printable(name));
        }
        return Optional.empty();
    }

    /** True if {@code name} may be stored. */
    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /** {@code name} with control characters shown as {@code ?}, safe to put in a log line. */
    public static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
