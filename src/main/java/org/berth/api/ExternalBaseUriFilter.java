package org.berth.api;

import java.net.URI;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;

/**
 * Gives JAX-RS the scheme and authority {@link ExternalUrls} decides on, so that URLs built from
 * {@link UriInfo} (the administration API's {@code Location} headers) follow the same rule as the
 * token realm and the /v2 {@code Location} and {@code Link} headers: the configured external URL,
 * else the request, with {@code X-Forwarded-Host}/{@code -Proto} believed from trusted proxies only.
 */
@Provider
@PreMatching
@Priority(1)
public class ExternalBaseUriFilter implements ContainerRequestFilter {

    @Inject
    ExternalUrls urls;

    @Override
    public void filter(ContainerRequestContext request) {
        UriInfo uri = request.getUriInfo();
        URI external = URI.create(urls.base());
        request.setRequestUri(withOrigin(uri.getBaseUri(), external), withOrigin(uri.getRequestUri(), external));
    }

    /** The URI with the scheme and authority of {@code origin}; path and query stay. */
    static URI withOrigin(URI uri, URI origin) {
        return URI.create(origin.getScheme() + "://" + origin.getRawAuthority() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
