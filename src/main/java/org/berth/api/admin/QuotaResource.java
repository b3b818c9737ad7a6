package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.berth.application.QuotaService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;

/** {@code /api/v1/projects/{project}/quota}: a project's storage limit and usage. */
@RequestScoped
@Path(AdminRoutes.QUOTA)
public class QuotaResource {

    @Inject
    QuotaService quotas;

    @Inject
    AdminCaller caller;

    @GET
    public Response get(@PathParam("project") String project) {
        caller.require(Privilege.PROJECT_READ, project);
        return json(quotas.get(project));
    }

    @PUT
    @Audited(value = Operation.QUOTA_UPDATE, type = "quota", resource = "{project}")
    public Response set(@PathParam("project") String project, String body) {
        caller.require(Privilege.PROJECT_READ, project); // a private project stays unknown to outsiders
        caller.require(Privilege.SYSTEM_ADMIN, null);
        long limit = JsonRequest.parse(body).requiredLong("limit_bytes");
        return json(quotas.setLimit(project, limit));
    }

    private static Response json(QuotaService.Quota quota) {
        return Response.ok(ContentJson.quota(quota).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
