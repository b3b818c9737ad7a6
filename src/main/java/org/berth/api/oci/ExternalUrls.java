package org.berth.api.oci;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import org.berth.infrastructure.config.BerthConfig;

/**
 * Builds the absolute URLs Berth hands to clients (Location, Link): from the configured external
 * URL when set, else from the request as the client addressed it, honouring the forwarded headers
 * of a TLS-terminating proxy.
 */
@ApplicationScoped
public class ExternalUrls {

    @Inject
    BerthConfig config;

    /** e.g. {@code https://registry.example.com} (no trailing slash). */
    public String base(UriInfo uri, HttpHeaders headers) {
        var configured = config.externalUrl();
        if (configured.isPresent()) {
            return configured.get();
        }
        String scheme = first(headers.getHeaderString("X-Forwarded-Proto"));
        if (scheme == null) {
            scheme = uri.getBaseUri().getScheme();
        }
        String host = first(headers.getHeaderString("X-Forwarded-Host"));
        if (host == null) {
            host = headers.getHeaderString(HttpHeaders.HOST);
        }
        if (host == null) {
            var b = uri.getBaseUri();
            host = b.getHost() + (b.getPort() > 0 ? ":" + b.getPort() : "");
        }
        return scheme + "://" + host;
    }

    public String absolute(UriInfo uri, HttpHeaders headers, String path) {
        return base(uri, headers) + path;
    }

    private static String first(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        int comma = headerValue.indexOf(',');
        return (comma < 0 ? headerValue : headerValue.substring(0, comma)).trim();
    }
}
