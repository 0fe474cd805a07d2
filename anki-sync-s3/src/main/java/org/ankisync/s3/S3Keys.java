package org.ankisync.s3;

import java.nio.charset.StandardCharsets;

/**
 * Object keys of one user's media: {@code <prefix>/<user>/<name>}, the user and the
 * name each escaped by {@link #segment}. The escaping keeps readable names readable
 * (letters of any script stay as they are) and is injective and never produces a
 * {@code /}: a user's keys all start with that user's own {@code <prefix>/<user>/},
 * which no other user name escapes to, so one user's store cannot name another's objects.
 */
public final class S3Keys {
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private final String userPrefix;

    /**
     * @param prefix the configured prefix ({@code ""} for none; slashes at either end are ignored)
     * @param user   a user name (already valid as a folder name)
     */
    public S3Keys(String prefix, String user) {
        String trimmed = trimSlashes(prefix);
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        this.userPrefix = (trimmed.isEmpty() ? "" : trimmed + "/") + segment(user) + "/";
    }

    /** Every key of this user starts with this; it ends with {@code /}. */
    public String userPrefix() {
        return userPrefix;
    }

    /**
     * The key of a media file. Refuses what is not one path element, as the file
     * system store does, although S3 has no folders: a name that could not be a file
     * name never reaches a store, so one that does is a bug to stop, not to store.
     */
    public String keyOf(String name) {
        if (name == null
                || name.isEmpty()
                || name.indexOf('\0') >= 0
                || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0
                || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("not a media file name: " + name);
        }
        String key = userPrefix + segment(name);
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the S3 key of media file " + name + " would exceed " + MAX_KEY_BYTES + " bytes");
        }
        return key;
    }

    /**
     * One key segment: {@code %} and the characters that S3-compatible servers or the XML
     * of their listings handle badly (control characters, {@code /}, {@code \}, the
     * non-characters U+FFFE/U+FFFF) become {@code %XX} per UTF-8 byte; a segment made only
     * of dots has its dots escaped too (some servers map keys to file paths). Everything
     * else, including letters of every script and emoji, is kept.
     */
    static String segment(String text) {
        boolean onlyDots = text.chars().allMatch(c -> c == '.');
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int width = Character.charCount(codePoint);
            if (mustEscape(codePoint) || (onlyDots && codePoint == '.')) {
                for (byte b : text.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%')
                            .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else {
                out.appendCodePoint(codePoint);
            }
            i += width;
        }
        return out.toString();
    }

    private static boolean mustEscape(int codePoint) {
        return codePoint == '%'
                || codePoint == '/'
                || codePoint == '\\'
                || Character.isISOControl(codePoint)
                || codePoint == 0xFFFE
                || codePoint == 0xFFFF
                || Character.getType(codePoint) == Character.SURROGATE;
    }

    static String trimSlashes(String prefix) {
        String trimmed = prefix == null ? "" : prefix.trim();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
