package org.ankisync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals("198.51.100.7", TrustedProxies.none().clientAddress("198.51.100.7", List.of("1.2.3.4")));
    }

    @Test
    void onlyATrustedPeerIsBelievedAndOnlyForTheRightmostUntrustedHop() {
        TrustedProxies proxies = TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, ::1");
        // an untrusted peer cannot choose its address
        assertEquals("198.51.100.7", proxies.clientAddress("198.51.100.7", List.of("1.2.3.4")));
        // the client's own (spoofed) entries are left of what the proxy appended
        assertEquals("203.0.113.9", proxies.clientAddress("127.0.0.1", List.of("1.2.3.4, 203.0.113.9")));
        // chains of trusted proxies are skipped; several header lines count as one list
        assertEquals("203.0.113.9", proxies.clientAddress("::1", List.of("6.6.6.6", "203.0.113.9, 10.1.2.3")));
        assertEquals("203.0.113.9", proxies.clientAddress("127.0.0.1", List.of("203.0.113.9:5555")));
        // nothing usable: the peer
        assertEquals("127.0.0.1", proxies.clientAddress("127.0.0.1", List.of()));
        assertEquals("127.0.0.1", proxies.clientAddress("127.0.0.1", List.of("unknown")));
    }

    @Test
    void rangesAndBadEntries() {
        TrustedProxies proxies = TrustedProxies.parse("192.168.0.0/16,2001:db8::/32");
        assertTrue(proxies.isTrusted("192.168.44.1"));
        assertFalse(proxies.isTrusted("192.169.0.1"));
        assertTrue(proxies.isTrusted("2001:db8:1::5"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.example.com"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("300.1.1.1"));
    }
}
