package org.ankisync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Pbkdf2Test {
    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void matchesTheRfc7914TestVector() {
        byte[] derived = Pbkdf2.derive("HmacSHA256", "passwd", "salt".getBytes(StandardCharsets.UTF_8), 1, 64);
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783", HexFormat.of().formatHex(derived));
    }

    @Test
    void hashesVerifyAndDiffer() {
        String a = Pbkdf2.hash("secret", 1000);
        String b = Pbkdf2.hash("secret", 1000);
        assertTrue(a.startsWith("$pbkdf2-sha256$i=1000,l=32$"), a);
        assertFalse(a.equals(b), "salted");
        assertTrue(Pbkdf2.verify(a, "secret"));
        assertFalse(Pbkdf2.verify(a, "Secret"));
        assertFalse(Pbkdf2.verify(a, ""));
    }

    @Test
    void readsWhatTheOfficialServerReads() {
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        String hash256 = b64(Pbkdf2.derive("HmacSHA256", "pw", salt, 600_000, 32));
        // i and l absent: 600000 rounds, 32 bytes
        assertTrue(Pbkdf2.verify("$pbkdf2-sha256$" + b64(salt) + "$" + hash256, "pw"));
        String hash512 = b64(Pbkdf2.derive("HmacSHA512", "pw", salt, 10, 64));
        assertTrue(Pbkdf2.verify("$pbkdf2-sha512$i=10,l=64$" + b64(salt) + "$" + hash512, "pw"));
        // l absent means 32 bytes: a 64-byte hash then never verifies
        assertFalse(Pbkdf2.verify("$pbkdf2-sha512$i=10$" + b64(salt) + "$" + hash512, "pw"));
        // unknown parameters, version fields, padding, other algorithms: never
        String ok = "$pbkdf2-sha256$i=10,l=32$" + b64(salt) + "$" + b64(Pbkdf2.derive("HmacSHA256", "pw", salt, 10, 32));
        assertTrue(Pbkdf2.verify(ok, "pw"));
        assertFalse(Pbkdf2.verify(ok.replace("i=10,l=32", "i=10,l=32,x=1"), "pw"));
        assertFalse(Pbkdf2.verify(ok.replace("$i=10", "$v=19$i=10"), "pw"));
        assertFalse(Pbkdf2.verify(ok.replace("pbkdf2-sha256", "pbkdf2-sha1"), "pw"));
        assertFalse(Pbkdf2.verify(ok + "=", "pw"));
        assertTrue(Pbkdf2.problem(ok).isEmpty());
        assertTrue(Pbkdf2.problem("$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaA").isPresent());
    }

    @Test
    void anEmptyPasswordCanBeChecked() {
        byte[] salt = "saltsalt".getBytes(StandardCharsets.UTF_8);
        String phc = "$pbkdf2-sha256$i=5,l=32$" + b64(salt) + "$" + b64(Pbkdf2.derive("HmacSHA256", "", salt, 5, 32));
        assertTrue(Pbkdf2.verify(phc, ""));
        assertFalse(Pbkdf2.verify(phc, "x"));
    }
}
