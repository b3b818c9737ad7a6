package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final Set<String> PROXY = Set.of("127.0.0.1", "10.0.0.2");

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals("203.0.113.9", ClientAddress.of("203.0.113.9", "1.2.3.4", Set.of()));
    }

    @Test
    void anUntrustedPeerCannotForgeItsAddress() {
        assertEquals("203.0.113.9", ClientAddress.of("203.0.113.9", "1.2.3.4", PROXY));
    }

    @Test
    void behindATrustedProxyTheLastUntrustedHopIsTheClient() {
        assertEquals("198.51.100.7", ClientAddress.of("127.0.0.1", "198.51.100.7", PROXY));
        // the client wrote 6.6.6.6 itself; nginx appended the peer it saw
        assertEquals("198.51.100.7", ClientAddress.of("127.0.0.1", "6.6.6.6, 198.51.100.7", PROXY));
        // two trusted proxies in a row
        assertEquals("198.51.100.7", ClientAddress.of("127.0.0.1", "198.51.100.7, 10.0.0.2", PROXY));
    }

    @Test
    void aTrustedPeerWithoutUsableHeaderIsItself() {
        assertEquals("127.0.0.1", ClientAddress.of("127.0.0.1", null, PROXY));
        assertEquals("127.0.0.1", ClientAddress.of("127.0.0.1", " , ", PROXY));
        assertEquals("127.0.0.1", ClientAddress.of("127.0.0.1", "10.0.0.2", PROXY));
    }

    @Test
    void anIpv6ProxyMatchesHoweverItIsWritten() {
        assertTrue(ClientAddress.isTrustedProxy("0:0:0:0:0:0:0:1", Set.of("::1")));
        assertTrue(ClientAddress.isTrustedProxy("::1", Set.of("[0:0:0:0:0:0:0:1]")));
        assertFalse(ClientAddress.isTrustedProxy("0:0:0:0:0:0:0:2", Set.of("::1")));
        assertFalse(ClientAddress.isTrustedProxy("not:an:address", Set.of("::1")));
        assertFalse(ClientAddress.isTrustedProxy("1:2:3:4:5:6:7:8:9", Set.of("::1")));
        assertEquals("198.51.100.7", ClientAddress.of("0:0:0:0:0:0:0:1", "198.51.100.7, ::1", Set.of("::1")));
    }
}
