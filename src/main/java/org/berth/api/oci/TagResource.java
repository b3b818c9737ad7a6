package org.berth.api.oci;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.berth.api.ExternalUrls;
import org.berth.application.CatalogService;
import org.berth.domain.Page;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;

/** end-8a/8b: {@code GET /v2/NAME/tags/list}, lexically ordered, paged with {@code n}/{@code last}. */
@ApplicationScoped
@Path(OciRoutes.TAGS)
public class TagResource {

    @Inject
    CatalogService catalog;

    @Inject
    ExternalUrls urls;

    @GET
    public Response list(@PathParam("name") String name, @QueryParam("n") String n, @QueryParam("last") String last) {
        RepositoryName repository = RepositoryName.parse(name);
        Page page = Paging.request(n, last);
        Response.ResponseBuilder response = Response.ok().type(MediaType.APPLICATION_JSON_TYPE);
        List<String> tags = Paging.apply(page, catalog.tags(repository, page), Tag::value,
                urls.absolute("/v2/" + repository.value() + "/tags/list"), response);
        return response.entity(NameListJson.tags(repository.value(), tags)).build();
    }
}
