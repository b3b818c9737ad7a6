package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ExternalUrlsTest {

    private static final Set<String> PROXY = Set.of("127.0.0.1");

    private static ExternalUrls.Seen from(String peer, String forwardedProto, String forwardedHost) {
        return new ExternalUrls.Seen(peer, "http", "registry.test:5000", "0.0.0.0:5000", forwardedProto, forwardedHost);
    }

    @Test
    void withoutTrustedProxiesForwardedHostAndProtoAreIgnored() {
        assertEquals("http://registry.test:5000",
                ExternalUrls.base(Optional.empty(), from("127.0.0.1", "https", "evil.example"), Set.of()));
    }

    @Test
    void anUntrustedPeerCannotMoveTheUrlsElsewhere() {
        assertEquals("http://registry.test:5000",
                ExternalUrls.base(Optional.empty(), from("203.0.113.9", "https", "evil.example"), PROXY));
    }

    @Test
    void aTrustedProxyNamesTheHostAndSchemeTheClientUsed() {
        assertEquals("https://registry.example.com",
                ExternalUrls.base(Optional.empty(), from("127.0.0.1", "https", "registry.example.com"), PROXY));
        // a chain of proxies: the first value is what the outermost one saw
        assertEquals("https://registry.example.com:8443",
                ExternalUrls.base(Optional.empty(), from("127.0.0.1", "https, http", "registry.example.com:8443, inner"), PROXY));
        // only the proto: the Host header the proxy passed on stays
        assertEquals("https://registry.test:5000", ExternalUrls.base(Optional.empty(), from("127.0.0.1", "https", null), PROXY));
    }

    @Test
    void aTrustedProxysOddValuesAreNotTaken() {
        assertEquals("http://registry.test:5000",
                ExternalUrls.base(Optional.empty(), from("127.0.0.1", "javascript", "a\"b/c"), PROXY));
    }

    @Test
    void aHostHeaderThatCouldBreakAHeaderFallsBackToTheListener() {
        ExternalUrls.Seen seen = new ExternalUrls.Seen("203.0.113.9", "http", "evil\", x=\"y", "0.0.0.0:5000", null, null);
        assertEquals("http://0.0.0.0:5000", ExternalUrls.base(Optional.empty(), seen, Set.of()));
        ExternalUrls.Seen v6 = new ExternalUrls.Seen("::1", "http", "[::1]:5000", "0.0.0.0:5000", null, null);
        assertEquals("http://[::1]:5000", ExternalUrls.base(Optional.empty(), v6, Set.of()));
    }

    @Test
    void theConfiguredExternalUrlWinsOverEverything() {
        assertEquals("https://registry.example.com", ExternalUrls.base(Optional.of("https://registry.example.com"),
                from("127.0.0.1", "http", "evil.example"), PROXY));
    }
}
