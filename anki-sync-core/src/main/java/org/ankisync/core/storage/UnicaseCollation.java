package org.ankisync.core.storage;

import org.sqlite.Collation;

/**
 * The {@code unicase} collation that schema-18 name columns declare, exactly
 * as the official core defines it: {@code UniCase::new(a).cmp(&UniCase::new(b))}
 * with the crate {@code unicase} pinned at 2.6.0. Without it SQLite cannot
 * insert into, look up or integrity-check those tables; with any other order
 * or equality the indexes would be corrupt as the official client sees them
 * (two decks the client keeps apart would collide here, or the reverse).
 *
 * <p>Two all-ASCII strings compare after ASCII lower-casing; otherwise both
 * strings compare by the code points of their folds ({@link UnicaseFold}), a
 * string that is a prefix of the other being smaller.
 */
public final class UnicaseCollation extends Collation {
    public static final String NAME = "unicase";

    @Override
    protected int xCompare(String a, String b) {
        return compare(a, b);
    }

    /** Negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
    public static int compare(String a, String b) {
        if (isAscii(a) && isAscii(b)) {
            return compareAscii(a, b);
        }
        UnicaseFold.Cursor x = new UnicaseFold.Cursor(a);
        UnicaseFold.Cursor y = new UnicaseFold.Cursor(b);
        while (true) {
            int ca = x.next();
            int cb = y.next();
            if (ca != cb) {
                return ca < 0 ? -1 : cb < 0 ? 1 : Integer.compare(ca, cb);
            }
            if (ca < 0) {
                return 0;
            }
        }
    }

    /** True when two names are equal under the collation (used for uniqueness checks). */
    public static boolean same(String a, String b) {
        return compare(a, b) == 0;
    }

    /**
     * The folded form of a string: two strings are {@link #same} exactly when
     * their folded forms are equal, so it can key a hash set of names.
     */
    public static String fold(String s) {
        if (isAscii(s)) {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.append((char) asciiLower(s.charAt(i)));
            }
            return out.toString();
        }
        StringBuilder out = new StringBuilder(s.length());
        UnicaseFold.Cursor cursor = new UnicaseFold.Cursor(s);
        for (int cp = cursor.next(); cp >= 0; cp = cursor.next()) {
            out.appendCodePoint(cp);
        }
        return out.toString();
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

    private static int compareAscii(String a, String b) {
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
