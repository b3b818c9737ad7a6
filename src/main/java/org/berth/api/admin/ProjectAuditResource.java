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

import org.berth.application.AuditService;
import org.berth.auth.Privilege;

/** {@code /api/v1/projects/{project}/audit-logs}: one project's audit log, for its administrators. */
@RequestScoped
@Path(AdminRoutes.PROJECT_AUDIT_LOGS)
public class ProjectAuditResource {

    @Inject
    AuditService audit;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response list(@PathParam("project") String project, @QueryParam("username") String username,
                         @QueryParam("operation") String operation, @QueryParam("resource") String resource,
                         @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("page") String page, @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        return AuditResource.respond(audit, AuditResource.query(project, username, operation, resource, from, to),
                page, pageSize, uri);
    }
}
