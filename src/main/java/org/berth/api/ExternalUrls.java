package org.berth.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import org.berth.infrastructure.config.BerthConfig;

/**
 * Builds the absolute URLs Berth hands to clients (Location, Link, the token realm): from the
 * configured external URL when set, else from the request as the client addressed it, honouring
 * the forwarded headers of a TLS-terminating proxy.
 */
@ApplicationScoped
public class ExternalUrls {

    @Inject
    BerthConfig config;

    @Inject
    HttpServletRequest request;

    /** e.g. {@code https://registry.example.com} (no trailing slash), for the current request. */
    public String base() {
        return base(request);
    }

    public String base(HttpServletRequest request) {
        var configured = config.externalUrl();
        if (configured.isPresent()) {
            return configured.get();
        }
        String scheme = first(request.getHeader("X-Forwarded-Proto"));
        if (scheme == null) {
            scheme = request.getScheme();
        }
        String host = first(request.getHeader("X-Forwarded-Host"));
        if (host == null) {
            host = request.getHeader("Host");
        }
        if (host == null) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return scheme + "://" + host;
    }

    /** The absolute URL of a path such as {@code /v2/nginx/blobs/sha256:...}. */
    public String absolute(String path) {
        return base() + path;
    }

    private static String first(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        int comma = headerValue.indexOf(',');
        return (comma < 0 ? headerValue : headerValue.substring(0, comma)).trim();
    }
}
