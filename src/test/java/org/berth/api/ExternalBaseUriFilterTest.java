package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

class ExternalBaseUriFilterTest {

    @Test
    void theExternalOriginReplacesSchemeAndAuthorityOnly() {
        URI origin = URI.create("https://registry.example.com:8443");
        assertEquals(URI.create("https://registry.example.com:8443/api/"),
                ExternalBaseUriFilter.withOrigin(URI.create("http://127.0.0.1:5000/api/"), origin));
        assertEquals(URI.create("https://registry.example.com:8443/api/v1/projects?page=2&q=a%20b"),
                ExternalBaseUriFilter.withOrigin(URI.create("http://127.0.0.1:5000/api/v1/projects?page=2&q=a%20b"), origin));
        assertEquals(URI.create("http://[::1]:5000/api/v1/repositories/team-a%2Fapp"),
                ExternalBaseUriFilter.withOrigin(URI.create("http://localhost:5000/api/v1/repositories/team-a%2Fapp"),
                        URI.create("http://[::1]:5000")));
    }
}
