package org.berth.api.oci;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** end-1: the API version check clients start with. */
@ApplicationScoped
@Path(OciRoutes.BASE)
public class BaseResource {

    @GET
    public Response check() {
        return Response.ok("{}", MediaType.APPLICATION_JSON_TYPE).build();
    }

    @HEAD
    public Response head() {
        return Response.ok().type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
