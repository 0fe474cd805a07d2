package org.ankisync.core.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void twelveHexDigitsAndNoRepeatsInAThousand() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.next();
            assertTrue(id.matches("[0-9a-f]{12}"), id);
            seen.add(id);
        }
        assertTrue(seen.size() == 1000, "repeats among 1000 ids");
    }
}
