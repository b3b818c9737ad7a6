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
    @Requires(value = Privilege.PROJECT_READ, target = "{project}")
    public Response get(@PathParam("project") String project) {
        return json(quotas.get(project));
    }

    @PUT
    @Audited(value = Operation.QUOTA_UPDATE, type = "quota", resource = "{project}")
    @Requires(value = Privilege.SYSTEM_ADMIN, target = "{project}")
    public Response set(@PathParam("project") String project, String body) {
        long limit = JsonRequest.parse(body).requiredLong("limit_bytes");
        return json(quotas.setLimit(project, limit));
    }

    private static Response json(QuotaService.Quota quota) {
        return Response.ok(ContentJson.quota(quota).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
