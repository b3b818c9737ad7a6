package org.berth.api.admin;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.api.ExternalUrls;
import org.berth.application.Listing;
import org.berth.application.retention.RetentionService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.RegistryException;
import org.berth.domain.retention.RetentionRule;
import org.berth.domain.retention.RetentionRulesJson;
import org.berth.domain.retention.RetentionRun;

/**
 * {@code /api/v1/projects/{project}/retention}: a project's tag retention policy, its preview, its
 * runs. Maintainers read, project admins change and run. A run records itself in the audit log
 * when it ends, one entry per run; saving the policy is audited here.
 */
@RequestScoped
@Path(AdminRoutes.RETENTION)
public class RetentionResource {

    private static final Set<String> POLICY_FIELDS = Set.of("rules", "schedule", "enabled", "run_gc", "preview_fingerprint");
    private static final Set<String> PREVIEW_FIELDS = Set.of("rules");

    @Inject
    RetentionService retention;

    @Inject
    ExternalUrls urls;

    @GET
    @Requires(value = Privilege.PROJECT_MAINTAIN, target = "{project}")
    public Response get(@PathParam("project") String project) {
        return json(Response.ok(), RetentionJson.policy(retention.get(project)).toString());
    }

    /** Saves the policy; enabling rules needs the fingerprint of their preview, and answers the preview again. */
    @PUT
    @Audited(value = Operation.RETENTION_UPDATE, type = "retention", resource = "{project}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response put(@PathParam("project") String project, String body) {
        JsonRequest request = JsonRequest.parse(body);
        request.onlyFields(POLICY_FIELDS);
        List<RetentionRule> rules = rules(request).orElseThrow(
                () -> new RegistryException.InvalidRequest("'rules' is required (a list, at most 15)"));
        RetentionService.Change change = new RetentionService.Change(rules, request.string("schedule")
                .map(String::trim).filter(s -> !s.isEmpty()).orElse(null), request.bool("enabled").orElse(false),
                request.bool("run_gc").orElse(false), request.string("preview_fingerprint").orElse(null));
        return json(Response.ok(), RetentionJson.saved(retention.save(project, change)).toString());
    }

    /** What the rules in the body (or, without a body, the saved ones) would delete now. */
    @POST
    @Path(AdminRoutes.RETENTION_PREVIEW)
    @Requires(value = Privilege.PROJECT_MAINTAIN, target = "{project}")
    public Response preview(@PathParam("project") String project, String body) {
        Optional<List<RetentionRule>> draft = Optional.empty();
        if (body != null && !body.isBlank()) {
            JsonRequest request = JsonRequest.parse(body);
            request.onlyFields(PREVIEW_FIELDS);
            draft = rules(request);
        }
        return json(Response.ok(), RetentionJson.preview(retention.preview(project, draft)).toString());
    }

    /** Starts a run: 202 with the run, {@code Location} its URL; 409 CONFLICT while one runs or when not enabled. */
    @POST
    @Path(AdminRoutes.RETENTION_RUNS)
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response start(@PathParam("project") String project) {
        RetentionRun run = retention.start(project);
        String location = urls.absolute("/api/" + AdminRoutes.PROJECTS + "/" + project + "/retention/"
                + AdminRoutes.RETENTION_RUNS + "/" + run.id());
        return json(Response.accepted().header("Location", location), RetentionJson.run(run, true).toString());
    }

    @GET
    @Path(AdminRoutes.RETENTION_RUNS)
    @Requires(value = Privilege.PROJECT_MAINTAIN, target = "{project}")
    public Response history(@PathParam("project") String project, @QueryParam("page") String page,
                            @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<RetentionRun> listing = retention.history(project, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), r -> RetentionJson.run(r, false))).build();
    }

    @GET
    @Path(AdminRoutes.RETENTION_RUN)
    @Requires(value = Privilege.PROJECT_MAINTAIN, target = "{project}")
    public Response run(@PathParam("project") String project, @PathParam("id") String id) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException.NotFound("retention run " + id + " not found", id);
        }
        return json(Response.ok(), RetentionJson.run(retention.run(project, number), true).toString());
    }

    private static Optional<List<RetentionRule>> rules(JsonRequest request) {
        try {
            return request.value("rules").map(RetentionRulesJson::read);
        } catch (IllegalArgumentException e) {
            throw new RegistryException.InvalidRequest(e.getMessage());
        }
    }

    private static Response json(Response.ResponseBuilder response, String body) {
        return response.entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
