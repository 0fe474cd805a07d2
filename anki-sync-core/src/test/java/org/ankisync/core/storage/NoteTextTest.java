package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NoteTextTest {

    @Test
    void stripsTagsButKeepsMediaFileNames() {
        assertEquals("a  cat.jpg  b", NoteText.stripHtmlPreservingMediaFilenames("a <img src=\"cat.jpg\"> b"));
        assertEquals(" x.mp3 ", NoteText.stripHtmlPreservingMediaFilenames("<audio src='x.mp3'></audio>"));
        assertEquals("bold", NoteText.stripHtmlPreservingMediaFilenames("<b>bold</b><!-- c --><style>p{}</style>"));
    }

    @Test
    void decodesEntitiesOnlyWhenPresent() {
        assertEquals("a & b < c", NoteText.stripHtmlPreservingMediaFilenames("a &amp; b &lt; c"));
        assertEquals("x y", NoteText.stripHtmlPreservingMediaFilenames("x&nbsp;y"));
    }

    @Test
    void checksumIsTheFirstFourBytesOfSha1() {
        // sha1("hello") = aaf4c61d...
        assertEquals(0xaaf4c61dL, NoteText.checksum("hello"));
        assertEquals(0xaaf4c61dL, NoteText.checksum("<b>hello</b>"));
    }

    @Test
    void sortFieldUsesTheNotetypeIndex() {
        String[] fields = {"<i>front</i>", "back"};
        assertEquals("front", NoteText.sortField(fields, 0));
        assertEquals("back", NoteText.sortField(fields, 1));
        assertEquals("", NoteText.sortField(fields, 5));
    }

    @Test
    void cleaningRemovesControlCharactersButTabsAndNewlines() {
        assertEquals("a\tb\nc", NoteText.cleanField("a\tb\u0001\nc\u007f"));
        assertArrayEquals(new String[] {"a", "", "b"}, NoteText.fields("a\u001f\u001fb"));
    }
}
