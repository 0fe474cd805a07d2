package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnicaseCollationTest {

    @Test
    void asciiComparesCaseInsensitively() {
        assertEquals(0, UnicaseCollation.compare("Basic", "bASIC"));
        assertTrue(UnicaseCollation.compare("apple", "Banana") < 0);
        assertTrue(UnicaseCollation.compare("abc", "ab") > 0);
    }

    @Test
    void dotlessIIsNotI() {
        // The client keeps decks "ılık" and "ilik" apart; so must the index.
        assertFalse(UnicaseCollation.same("\u0131l\u0131k", "ilik"));
        assertFalse(UnicaseCollation.same("\u0131", "I"));
        assertTrue(UnicaseCollation.same("\u0130", "i\u0307"));
        assertEquals(UnicaseCollation.fold("\u0131l\u0131k"), "\u0131l\u0131k");
    }

    @Test
    void foldsAsUnicase260() {
        assertTrue(UnicaseCollation.same("Stra\u00dfe", "STRASSE"));
        assertTrue(UnicaseCollation.same("\u1e9e", "ss"));
        assertTrue(UnicaseCollation.same("\u03c2", "\u03a3"));
        assertTrue(UnicaseCollation.same("\u00c4rger", "\u00e4rger"));
        // 2.6.0 yields three-character folds as (third, first, second): "ﬃ" folds to "iff", not "ffi".
        assertTrue(UnicaseCollation.same("\ufb03", "iff"));
        assertFalse(UnicaseCollation.same("\ufb03", "ffi"));
        // Cherokee folds to its upper-case letters.
        assertTrue(UnicaseCollation.same("\uab70", "\u13a0"));
    }

    @Test
    void comparesByCodePointNotUtf16Unit() {
        // U+1F600 (a surrogate pair) sorts after U+FF21 by code point, before it by UTF-16 unit.
        assertTrue(UnicaseCollation.compare("\uD83D\uDE00", "\uFF41") > 0);
    }

    @Test
    void everyHardPairComparesAsTheCrateRecorded() throws Exception {
        List<String> wrong = new ArrayList<>();
        List<String> lines = PinnedCrateTables.lines("unicase-hard-pairs.tsv");
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            String a = PinnedCrateTables.unhex(f[0]);
            String b = PinnedCrateTables.unhex(f[1]);
            int expected = Integer.parseInt(f[2]);
            int ours = Integer.signum(UnicaseCollation.compare(a, b));
            if (ours != expected) {
                wrong.add(a + " vs " + b + ": crate " + expected + ", ours " + ours);
            }
            assertEquals(ours == 0, UnicaseCollation.fold(a).equals(UnicaseCollation.fold(b)), a + " vs " + b);
        }
        assertTrue(lines.size() > 10_000, "the recorded pairs are all there");
        assertEquals(List.of(), wrong);
    }
}
