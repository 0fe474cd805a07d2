package org.ankisync.core.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ankisync.core.http.SyncException;
import org.junit.jupiter.api.Test;

/** How a JSON number becomes a column's integer: what the merge writes depends on it. */
class JsonArgsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode number(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void integersPassAsTheyAre() throws Exception {
        assertEquals(0, JsonArgs.integer(number("0"), "x"));
        assertEquals(-7, JsonArgs.integer(number("-7"), "x"));
        assertEquals(1_700_000_000_123L, JsonArgs.integer(number("1700000000123"), "x"));
        assertEquals(Long.MAX_VALUE, JsonArgs.integer(number("9223372036854775807"), "x"));
        assertEquals(Long.MIN_VALUE, JsonArgs.integer(number("-9223372036854775808"), "x"));
    }

    @Test
    void floatsAreTruncatedTowardZero() throws Exception {
        assertEquals(2, JsonArgs.integer(number("2.9"), "x"));
        assertEquals(-2, JsonArgs.integer(number("-2.9"), "x"));
        assertEquals(250, JsonArgs.integer(number("2.5e2"), "x"));
    }

    @Test
    void outOfRangeAndNonNumbersAreRefused() throws Exception {
        for (String text : new String[] {"9223372036854775808", "-9223372036854775809", "1e19", "-1e19"}) {
            SyncException e = assertThrows(SyncException.class, () -> JsonArgs.integer(number(text), "due"), text);
            assertEquals("invalid json: due is out of range", e.getMessage());
            assertEquals(400, e.status());
        }
        for (String text : new String[] {"\"12\"", "true", "null", "[1]"}) {
            SyncException e = assertThrows(SyncException.class, () -> JsonArgs.integer(number(text), "due"), text);
            assertEquals("invalid json: due must be a number", e.getMessage());
        }
        assertThrows(SyncException.class, () -> JsonArgs.integer(null, "due"));
    }

    @Test
    void int32RefusesWhatAnIntCannotHold() throws Exception {
        assertEquals(Integer.MAX_VALUE, JsonArgs.int32(number("2147483647"), "x"));
        SyncException e = assertThrows(SyncException.class, () -> JsonArgs.int32(number("2147483648"), "ivl"));
        assertEquals("invalid json: ivl is out of range", e.getMessage());
    }
}
