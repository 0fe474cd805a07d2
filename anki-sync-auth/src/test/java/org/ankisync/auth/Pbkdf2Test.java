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
        assertEquals(
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                        + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
                HexFormat.of().formatHex(derived));
    }

    @Test
    void matchesTheSecondRfc7914TestVector() {
        byte[] derived = Pbkdf2.derive("HmacSHA256", "Password", "NaCl".getBytes(StandardCharsets.UTF_8), 80_000, 64);
        assertEquals(
                "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                        + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
                HexFormat.of().formatHex(derived));
    }

    @Test
    void matchesAKnownSha512Vector() {
        // The widely published PBKDF2-HMAC-SHA512 vector ("password", "salt", 2 rounds, 64 bytes).
        byte[] derived = Pbkdf2.derive("HmacSHA512", "password", "salt".getBytes(StandardCharsets.UTF_8), 2, 64);
        assertEquals(
                "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53c"
                        + "f76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e",
                HexFormat.of().formatHex(derived));
    }

    @Test
    void encodesThePasswordAsUtf8AndCutsTheLastBlock() {
        // Expected value from Python's hashlib.pbkdf2_hmac, an independent implementation; 40 bytes
        // span two SHA-256 blocks, the second cut short.
        byte[] derived = Pbkdf2.derive(
                "HmacSHA256",
                "p\u00e4ssw\u00f6rd\u2713",
                "0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                1000,
                40);
        assertEquals(
                "5e5f7fb5b4899a33a99777e6dba1e01db40f3b51c58d2023ed283150fd1a02fd41c57fbc782d056d",
                HexFormat.of().formatHex(derived));
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
        String ok =
                "$pbkdf2-sha256$i=10,l=32$" + b64(salt) + "$" + b64(Pbkdf2.derive("HmacSHA256", "pw", salt, 10, 32));
        assertTrue(Pbkdf2.verify(ok, "pw"));
        assertFalse(Pbkdf2.verify(ok.replace("i=10,l=32", "i=10,l=32,x=1"), "pw"));
        assertFalse(Pbkdf2.verify(ok.replace("$i=10", "$v=19$i=10"), "pw"));
        assertFalse(Pbkdf2.verify(ok.replace("pbkdf2-sha256", "pbkdf2-sha1"), "pw"));
        assertFalse(Pbkdf2.verify(ok + "=", "pw"));
        assertTrue(Pbkdf2.problem(ok).isEmpty());
        assertTrue(
                Pbkdf2.problem("$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaA").isPresent());
    }

    @Test
    void anEmptyPasswordCanBeChecked() {
        byte[] salt = "saltsalt".getBytes(StandardCharsets.UTF_8);
        // From Python's hashlib.pbkdf2_hmac: an empty password is a valid HMAC key.
        assertEquals(
                "8e662c5e8d51a6ec0fcfa81520025776d9ccb224b8750d161d66072c4cfd8a3f",
                HexFormat.of().formatHex(Pbkdf2.derive("HmacSHA256", "", salt, 5, 32)));
        String phc = "$pbkdf2-sha256$i=5,l=32$" + b64(salt) + "$" + b64(Pbkdf2.derive("HmacSHA256", "", salt, 5, 32));
        assertTrue(Pbkdf2.verify(phc, ""));
        assertFalse(Pbkdf2.verify(phc, "x"));
    }
}
