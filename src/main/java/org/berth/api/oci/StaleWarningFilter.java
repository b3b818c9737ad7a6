package org.berth.api.oci;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import org.berth.application.proxy.StaleResponse;

/**
 * A proxy cache's answer that its upstream could not confirm carries {@code Warning: 110 - "Response
 * is Stale"} (RFC 7234 section 5.5.1; issue 20), so a client or an operator can tell.
 */
@Provider
public class StaleWarningFilter implements ContainerResponseFilter {

    static final String WARNING = "Warning";
    static final String STALE = "110 - \"Response is Stale\"";

    @Inject
    StaleResponse stale;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (stale.reason().isPresent()) {
            response.getHeaders().putSingle(WARNING, STALE);
        }
    }
}
