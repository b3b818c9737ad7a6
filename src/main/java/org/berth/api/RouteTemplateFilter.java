package org.berth.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Tells {@link HttpMetricsFilter} which route the request matched. Registered first in every
 * JAX-RS application, so that a request refused by the access filter still has its route.
 */
@Provider
@Priority(1)
public class RouteTemplateFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource.getResourceMethod() != null) {
            request.setProperty(RouteTemplate.ATTRIBUTE, RouteTemplate.of(request.getUriInfo().getBaseUri().getPath(),
                    resource.getResourceClass(), resource.getResourceMethod()));
        }
    }
}
