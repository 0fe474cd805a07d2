package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HtmlEntitiesTest {

    @Test
    void decodesAllHtml4EntitiesAndRefusesTheRestWhole() {
        assertEquals(Optional.of("caf\u00e9 \u2026"), HtmlEntities.decode("caf&eacute; &hellip;"));
        // &apos; is not HTML 4: the crate fails, and then nothing is decoded.
        assertEquals(Optional.empty(), HtmlEntities.decode("&amp; &apos;"));
        assertEquals(Optional.empty(), HtmlEntities.decode("a & b"));
        assertEquals(Optional.empty(), HtmlEntities.decode("&#X41;"));
        assertEquals(Optional.of("AA"), HtmlEntities.decode("&#x41;&#65;"));
    }

    @Test
    void anUndecodableTextKeepsItsNoBreakSpaces() {
        assertEquals("a\u00a0&b", NoteText.decodeEntities("a\u00a0&b"));
        assertEquals("a &", NoteText.decodeEntities("a\u00a0&amp;"));
    }

    @Test
    void everyRecordedCaseDecodesAsTheCrateDid() throws Exception {
        List<String> wrong = new ArrayList<>();
        List<String> lines = PinnedCrateTables.lines("htmlescape-cases.tsv");
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            String input = PinnedCrateTables.unhex(f[0]);
            String expected = f[1].equals("ERR") ? "ERR" : PinnedCrateTables.unhex(f[1]);
            String ours = HtmlEntities.decode(input).orElse("ERR");
            if (!ours.equals(expected)) {
                wrong.add(input + ": crate " + expected + ", ours " + ours);
            }
        }
        assertTrue(lines.size() > 50);
        assertEquals(List.of(), wrong);
    }
}
