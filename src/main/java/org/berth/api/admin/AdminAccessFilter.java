package org.berth.api.admin;

import java.lang.reflect.Method;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import org.berth.domain.RegistryException;

/**
 * The one permission check of the administration API: runs first, once the route is matched,
 * and asks the access controller (through {@link AdminCaller}) for the {@link Requires} of the
 * resource method. No body is read before it passes. A method that declares nothing is refused.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AdminAccessFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Inject
    AdminCaller caller;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Requires requires = method == null ? null : method.getAnnotation(Requires.class);
        if (requires == null) {
            throw new RegistryException.Denied("this route declares no permission");
        }
        caller.require(requires.value(), target(requires.target(), request));
    }

    static String target(String source, ContainerRequestContext request) {
        if (source.startsWith("{") && source.endsWith("}")) {
            return request.getUriInfo().getPathParameters().getFirst(source.substring(1, source.length() - 1));
        }
        if (source.startsWith("?")) {
            String value = request.getUriInfo().getQueryParameters().getFirst(source.substring(1));
            return value == null || value.isBlank() ? null : value.trim();
        }
        return null;
    }
}
