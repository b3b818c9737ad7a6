package org.berth.domain.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class RegistryEndpointTest {

    @Test
    void urlsAreNormalised() {
        assertEquals("https://registry-1.docker.io", RegistryEndpoint.parseUrl("https://registry-1.docker.io").toString());
        assertEquals("https://ghcr.io", RegistryEndpoint.parseUrl("https://ghcr.io/").toString());
        assertEquals("https://ghcr.io", RegistryEndpoint.parseUrl(" HTTPS://GHCR.io// ").toString());
        assertEquals("http://127.0.0.1:5000", RegistryEndpoint.parseUrl("http://127.0.0.1:5000/").toString());
        assertEquals("http://[::1]:5000/mirror", RegistryEndpoint.parseUrl("http://[::1]:5000/mirror/").toString());
    }

    @Test
    void urlsAreRefusedWithoutBeingQuoted() {
        for (String bad : new String[] {"", " ", "registry-1.docker.io", "/v2/", "ftp://example.com",
                "https://user:s3cr3t-pw@example.com", "https://s3cr3t-pw@example.com/", "https://example.com/?x=s3cr3t-pw",
                "https://example.com/#s3cr3t-pw", "https://exa mple.com", "https:///path", "file:///etc/passwd",
                "https://" + "a".repeat(2050)}) {
            RegistryException.InvalidRequest e = assertThrows(RegistryException.InvalidRequest.class,
                    () -> RegistryEndpoint.parseUrl(bad), bad);
            assertTrue(e.getMessage().contains("'url'"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
        }
        assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.parseUrl(null));
    }

    @Test
    void namesFollowTheProjectGrammar() {
        assertEquals("docker-hub", RegistryEndpoint.checkName("docker-hub"));
        for (String bad : new String[] {"Hub", "-hub", "hub/x", "", "a".repeat(256)}) {
            assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.checkName(bad), bad);
        }
        assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.checkName(null));
    }

    @Test
    void credentialsHaveBounds() {
        assertEquals("u".repeat(255), RegistryEndpoint.checkUsername("u".repeat(255)));
        assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.checkUsername("u".repeat(256)));
        assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.checkUsername("a:b"));
        assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.checkUsername("a\nb"));
        assertEquals("p".repeat(1024), RegistryEndpoint.checkPassword("p".repeat(1024)));
        String tooLong = "\u00e9".repeat(513); // 1,026 bytes in UTF-8
        RegistryException.InvalidRequest e = assertThrows(RegistryException.InvalidRequest.class,
                () -> RegistryEndpoint.checkPassword(tooLong));
        assertFalse(e.getMessage().contains(tooLong));
        assertThrows(RegistryException.InvalidRequest.class, () -> RegistryEndpoint.checkPassword("a\u0000b"));
    }
}
