package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnicaseCollationTest {

    @Test
    void asciiComparesCaseInsensitively() {
        assertEquals(0, UnicaseCollation.compare("Basic", "bASIC"));
        assertTrue(UnicaseCollation.compare("apple", "Banana") < 0);
        assertTrue(UnicaseCollation.compare("abc", "ab") > 0);
    }

    @Test
    void unicodeFoldsCaseIncludingSharpS() {
        assertTrue(UnicaseCollation.same("Stra\u00dfe", "STRASSE"));
        assertTrue(UnicaseCollation.same("\u00c4rger", "\u00e4rger"));
    }

    @Test
    void comparesByCodePointNotUtf16Unit() {
        // U+1F600 (a surrogate pair) sorts after U+FF21 by code point, before it by UTF-16 unit.
        assertTrue(UnicaseCollation.compare("\uD83D\uDE00", "\uFF41") > 0);
    }
}
