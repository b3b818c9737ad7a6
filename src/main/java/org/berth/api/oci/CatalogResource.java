package org.berth.api.oci;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.berth.api.ExternalUrls;
import org.berth.application.CatalogService;
import org.berth.domain.Page;
import org.berth.domain.RepositoryName;

/** Docker registry API {@code GET /v2/_catalog}: repository names in lexical order, paged. */
@ApplicationScoped
@Path(OciRoutes.CATALOG)
public class CatalogResource {

    @Inject
    CatalogService catalog;

    @Inject
    ExternalUrls urls;

    @Inject
    Caller caller;

    @GET
    public Response list(@QueryParam("n") String n, @QueryParam("last") String last) {
        Page page = Paging.request(n, last);
        Response.ResponseBuilder response = Response.ok().type(MediaType.APPLICATION_JSON_TYPE);
        List<String> names = Paging.apply(page, catalog.repositories(page, caller.grant().visibleProjects()), RepositoryName::value, urls.absolute("/v2/_catalog"), response);
        return response.entity(NameListJson.repositories(names)).build();
    }
}
