package org.ankisync.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3KeysTest {
    @Test
    void keysAreThePrefixTheUserAndTheNameWithReadableNamesKept() {
        S3Keys keys = new S3Keys("/media/", "alice");
        assertEquals("media/alice/", keys.userPrefix());
        assertEquals("media/alice/caf\u00e9 \ud83c\udfb5.jpg", keys.keyOf("caf\u00e9 \ud83c\udfb5.jpg"));
        assertEquals("alice/x.png", new S3Keys("", "alice").keyOf("x.png"));
    }

    @Test
    void percentControlCharactersAndAllDotNamesAreEscaped() {
        S3Keys keys = new S3Keys("p", "u");
        assertEquals("p/u/100%25.txt", keys.keyOf("100%.txt"));
        assertEquals("p/u/a%01b%7F%C2%85", keys.keyOf("a\u0001b\u007f\u0085"));
        assertEquals("p/u/%2E%2E%2E", keys.keyOf("..."));
        assertEquals("p/u/.hidden", keys.keyOf(".hidden"));
        assertEquals("p/%25./x", new S3Keys("p", "%.").keyOf("x"));
    }

    @Test
    void escapingIsInjectiveSoNamesNeverCollide() {
        List<String> names = List.of("a b", "a%20b", "a%2520b", "a\u0001", "a%01", "...", "%2E%2E%2E", "x", "X");
        Set<String> keys = new HashSet<>();
        S3Keys user = new S3Keys("p", "u");
        for (String name : names) {
            assertTrue(keys.add(user.keyOf(name)), name);
        }
    }

    @Test
    void noUserNameReachesAnotherUsersPrefix() {
        List<String> users = List.of("alice", "alice%2Fbob", "alice/bob", "bob", "al", "alice\u0001");
        for (String a : users) {
            for (String b : users) {
                if (!a.equals(b)) {
                    String prefixA = new S3Keys("p", a).userPrefix();
                    String prefixB = new S3Keys("p", b).userPrefix();
                    assertNotEquals(prefixA, prefixB);
                    assertFalse(prefixA.startsWith(prefixB), a + " inside " + b);
                }
            }
            // the user segment never contains a slash, so the user prefix has exactly prefix + 1 slashes
            assertEquals(
                    2,
                    new S3Keys("p", a)
                            .userPrefix()
                            .chars()
                            .filter(c -> c == '/')
                            .count(),
                    a);
        }
    }

    @Test
    void namesThatAreNotOnePathElementOrTooLongAreRefused() {
        S3Keys keys = new S3Keys("p", "u");
        for (String bad : List.of("", ".", "..", "a/b", "a\\b", "nul\0")) {
            assertThrows(IllegalArgumentException.class, () -> keys.keyOf(bad), bad);
        }
        S3Keys longUser = new S3Keys("p".repeat(128), "\ud83c\udfb5".repeat(128));
        assertThrows(IllegalArgumentException.class, () -> longUser.keyOf("\u0001".repeat(255)));
    }
}
