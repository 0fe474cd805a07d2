package org.ankisync.core.storage;

/**
 * Whitespace as Rust's {@code char::is_whitespace} and {@code str::trim} see it
 * (the Unicode {@code White_Space} property), which the official core uses to
 * trim deck and tag names. Java's {@code String.strip} differs: it keeps the
 * no-break spaces U+00A0, U+2007, U+202F and NEL U+0085, and strips
 * U+001C–U+001F, so a name trimmed by Java would not match the client's.
 */
public final class RustWhitespace {
    private RustWhitespace() {}

    /** True for a code unit with the Unicode White_Space property (all of them are in the BMP). */
    public static boolean isWhitespace(char c) {
        return (c >= 0x09 && c <= 0x0d)
                || c == 0x20
                || c == 0x85
                || c == 0xa0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }

    /** Rust's {@code str::trim}. */
    public static String trim(String s) {
        int begin = 0;
        int end = s.length();
        while (begin < end && isWhitespace(s.charAt(begin))) {
            begin++;
        }
        while (end > begin && isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(begin, end);
    }
}
