package org.ankisync.media.names;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaFileNamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "cat.jpg",
                "with space.mp3",
                "café.png",
                "日本語.jpg",
                "😀 emoji.gif",
                "..hidden",
                "a..b",
                ".x",
                "x.",
                "con.jpg",
                "_meta"
            })
    void acceptsOrdinaryNames(String name) {
        assertTrue(MediaFileNames.isValid(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/b", "/etc/passwd", "a\\b", "..\\..\\x", "C:\\x", "nul\0.jpg"})
    void refusesNamesThatAreNotOnePathElement(String name) {
        assertFalse(MediaFileNames.isValid(name), name);
    }

    @Test
    void refusesNamesNotInNfc() {
        String nfd = Normalizer.normalize("café.png", Normalizer.Form.NFD);
        assertFalse(MediaFileNames.isValid(nfd));
        assertTrue(MediaFileNames.isValid(Normalizer.normalize(nfd, Normalizer.Form.NFC)));
    }

    @Test
    void limitsLengthInUtf8Bytes() {
        assertTrue(MediaFileNames.isValid("a".repeat(255)));
        assertFalse(MediaFileNames.isValid("a".repeat(256)));
        // 85 three-byte characters = 255 bytes; one more is too many
        assertTrue(MediaFileNames.isValid("語".repeat(85)));
        assertFalse(MediaFileNames.isValid("語".repeat(86)));
    }

    @Test
    void refusesUnpairedSurrogates() {
        assertFalse(MediaFileNames.isValid("a\uD83Db"));
        assertTrue(MediaFileNames.isValid("a\uD83D\uDE00b"));
    }
}
