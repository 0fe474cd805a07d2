package org.ankisync.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TagNamesTest {

    @Test
    void normalisesComponents() {
        assertEquals("a::blank::c", TagNames.normalise("a:: ::c"));
        assertEquals("ab", TagNames.normalise("a b"));
        assertEquals("x::y", TagNames.normalise("x\u3000::\u0001y"));
        assertEquals("\u00e9t\u00e9", TagNames.normalise("e\u0301te\u0301"));
    }
}
