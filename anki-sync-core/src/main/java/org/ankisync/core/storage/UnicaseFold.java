package org.ankisync.core.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Case folding exactly as the Rust crate {@code unicase} 2.6.0 does it, the
 * version the official Anki core pins because its SQLite indexes depend on
 * it. The table is the crate's own behaviour, recorded by
 * {@code tools/text-fidelity-probe} over every Unicode scalar value; it is
 * deliberately not Java's or ICU's folding, which differ on about 200 code
 * points (dotless ı, ẞ, final sigma, Cherokee, ligatures...).
 *
 * <p>One quirk is kept on purpose: 2.6.0 yields the characters of a
 * three-character fold in the order third, first, second (so "ﬃ" folds to
 * "iff"). Anki's indexes are ordered by that sequence, so we must be too.
 */
final class UnicaseFold {
    static final String TABLE = "unicase-2.6.0-folds.tsv";

    /** Folds of BMP code points; null where a code point folds to itself. */
    private static final int[][] BMP = new int[0x10000][];
    /** Supplementary code points with a fold, sorted, and their folds. */
    private static final int[] SUPPLEMENTARY_KEYS;

    private static final int[][] SUPPLEMENTARY_FOLDS;

    static {
        int[] keys = new int[64];
        int[][] folds = new int[64][];
        int count = 0;
        try (InputStream in = UnicaseFold.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TABLE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                int from = Integer.parseInt(line.substring(0, tab), 16);
                int[] to = Arrays.stream(line.substring(tab + 1).split(" "))
                        .mapToInt(h -> Integer.parseInt(h, 16))
                        .toArray();
                if (from < 0x10000) {
                    BMP[from] = to;
                } else {
                    if (count == keys.length) {
                        keys = Arrays.copyOf(keys, count * 2);
                        folds = Arrays.copyOf(folds, count * 2);
                    }
                    keys[count] = from;
                    folds[count++] = to;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SUPPLEMENTARY_KEYS = Arrays.copyOf(keys, count);
        SUPPLEMENTARY_FOLDS = Arrays.copyOf(folds, count);
    }

    private UnicaseFold() {}

    /** The code points {@code codePoint} folds to, in the crate's order; null if it folds to itself. */
    static int[] of(int codePoint) {
        if (codePoint < 0x10000) {
            return BMP[codePoint];
        }
        int i = Arrays.binarySearch(SUPPLEMENTARY_KEYS, codePoint);
        return i >= 0 ? SUPPLEMENTARY_FOLDS[i] : null;
    }

    /**
     * Walks the folded code points of a string one at a time, as the crate's
     * {@code chars().flat_map(lookup)} does, without building the folded string.
     */
    static final class Cursor {
        private final String text;
        private int index;
        private int[] pending;
        private int pendingIndex;

        Cursor(String text) {
            this.text = text;
        }

        /** The next folded code point, or -1 at the end. */
        int next() {
            if (pending != null) {
                int cp = pending[pendingIndex++];
                if (pendingIndex == pending.length) {
                    pending = null;
                }
                return cp;
            }
            if (index >= text.length()) {
                return -1;
            }
            int cp = text.codePointAt(index);
            index += Character.charCount(cp);
            int[] fold = of(cp);
            if (fold == null) {
                return cp;
            }
            if (fold.length > 1) {
                pending = fold;
                pendingIndex = 1;
            }
            return fold[0];
        }
    }
}
