package org.berth.api.oci;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/** Every /v2 response, errors included, says which API it speaks (OCI dist-spec end-1). */
@Provider
public class ApiVersionFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(OciHeaders.API_VERSION, "registry/2.0");
    }
}
