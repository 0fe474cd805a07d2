package org.ankisync.core.storage;

import java.util.Locale;
import org.sqlite.Collation;

/**
 * The {@code unicase} collation that schema-18 name columns declare. Without it
 * SQLite cannot insert into, look up or integrity-check those tables, and a
 * different ordering would corrupt the indexes as the official client sees them.
 *
 * <p>Pure ASCII strings compare after ASCII lower-casing; others compare by code
 * point after case folding. Java has no full case folding, so folding is
 * approximated by upper- then lower-casing, which maps the multi-character
 * folds that matter in names (for example {@code ß} to {@code ss}).
 */
public final class UnicaseCollation extends Collation {
    public static final String NAME = "unicase";

    @Override
    protected int xCompare(String a, String b) {
        return compare(a, b);
    }

    public static int compare(String a, String b) {
        if (isAscii(a) && isAscii(b)) {
            int n = Math.min(a.length(), b.length());
            for (int i = 0; i < n; i++) {
                int ca = asciiLower(a.charAt(i));
                int cb = asciiLower(b.charAt(i));
                if (ca != cb) {
                    return ca - cb;
                }
            }
            return Integer.compare(a.length(), b.length());
        }
        return compareCodePoints(fold(a), fold(b));
    }

    /** True when two names are equal under the collation (used for uniqueness checks). */
    public static boolean same(String a, String b) {
        return compare(a, b) == 0;
    }

    static String fold(String s) {
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Compares by Unicode code point (which is also byte-wise UTF-8 order), not by UTF-16 unit. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static int asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
