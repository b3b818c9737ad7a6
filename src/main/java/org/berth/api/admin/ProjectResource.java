package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.Listing;
import org.berth.application.ProjectService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.Project;

/** {@code /api/v1/projects}: projects and their visibility. */
@RequestScoped
@Path(AdminRoutes.PROJECTS)
public class ProjectResource {

    @Inject
    ProjectService projects;

    @Inject
    AdminCaller caller;

    @POST
    @Requires(Privilege.ACCOUNT_SELF)
    @Audited(value = Operation.PROJECT_CREATE, type = "project", resource = "{body.name}")
    public Response create(String body, @Context UriInfo uri) {
        String creator = caller.username();
        JsonRequest json = JsonRequest.parse(body);
        Project project = projects.create(json.requiredString("name"), json.bool("public").orElse(false), creator);
        return Response.created(uri.getAbsolutePathBuilder().path(project.name()).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(AdminJson.project(project).toString()).build();
    }

    /** Public projects and those the caller may see; anyone may ask. */
    @GET
    @Requires(Privilege.ANYONE)
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                         @QueryParam("name") String name, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<Project> listing = projects.list(caller.identity(), name, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), AdminJson::project)).build();
    }

    @GET
    @Path(AdminRoutes.PROJECT)
    @Requires(value = Privilege.PROJECT_READ, target = "{project}")
    public Response get(@PathParam("project") String name) {
        return json(projects.get(name));
    }

    @PATCH
    @Path(AdminRoutes.PROJECT)
    @Audited(value = Operation.PROJECT_UPDATE, type = "project", resource = "{project}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response update(@PathParam("project") String name, String body) {
        JsonRequest json = JsonRequest.parse(body);
        Project project = json.bool("public").map(p -> projects.setPublic(name, p)).orElseGet(() -> projects.get(name));
        return json(project);
    }

    @DELETE
    @Path(AdminRoutes.PROJECT)
    @Audited(value = Operation.PROJECT_DELETE, type = "project", resource = "{project}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response delete(@PathParam("project") String name) {
        projects.delete(name);
        return Response.noContent().build();
    }

    private static Response json(Project project) {
        return Response.ok(AdminJson.project(project).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
