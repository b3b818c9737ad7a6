package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.Listing;
import org.berth.application.RepositoryService;
import org.berth.auth.Privilege;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryInfo;
import org.berth.domain.RepositorySort;

/** {@code /api/v1/projects/{project}/repositories}: the repositories of a project. */
@RequestScoped
@Path(AdminRoutes.PROJECT_REPOSITORIES)
public class ProjectRepositoryResource {

    @Inject
    RepositoryService repositories;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(value = Privilege.PROJECT_READ, target = "{project}")
    public Response list(@PathParam("project") String project, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @QueryParam("q") String q,
                         @QueryParam("sort") String sort, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        RepositorySort order = sort == null || sort.isEmpty() ? RepositorySort.NAME : RepositorySort.byParameter(sort)
                .orElseThrow(() -> new RegistryException.InvalidRequest("'sort' must be one of name, -name, last_push,"
                        + " -last_push, pull_count, -pull_count, artifact_count, -artifact_count"));
        Listing<RepositoryInfo> listing = repositories.list(project, q, order, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), ContentJson::repository)).build();
    }
}
