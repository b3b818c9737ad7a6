package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.berth.application.RepositoryService;
import org.berth.auth.Privilege;

/** {@code /api/v1/projects/{project}/summary}: counts, logical and physical bytes, and the quota. */
@RequestScoped
@Path(AdminRoutes.SUMMARY)
public class ProjectSummaryResource {

    @Inject
    RepositoryService repositories;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(value = Privilege.PROJECT_READ, target = "{project}")
    public Response get(@PathParam("project") String project) {
        return Response.ok(ContentJson.summary(repositories.summary(project)).toString(), MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
