package org.berth.api.admin;

import java.util.Optional;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.berth.application.Listing;
import org.berth.application.replication.ReplicationService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry;
import org.berth.domain.RegistryException;
import org.berth.domain.replication.ReplicationExecution;
import org.berth.domain.replication.ReplicationTask;

/**
 * {@code /api/v1/replication}: replication rules and their executions (issue 21), for system
 * administrators. Rules are addressed by name, executions by id; starting, retrying and stopping
 * answer 202 with the execution, which a worker runs (never the request).
 */
@RequestScoped
@Path(AdminRoutes.REPLICATION)
@Tag(name = "replication", description = "Copying artifacts to and from other registries")
public class ReplicationResource {

    @Inject
    ReplicationService replication;

    @GET
    @Path(AdminRoutes.REPLICATION_RULES)
    @Operation(summary = "Replication rules by name, paged, each with its last execution")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response rules(@QueryParam("page") String page, @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<ReplicationService.RuleView> listing = replication.list(paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), ReplicationJson::rule)).build();
    }

    @POST
    @Path(AdminRoutes.REPLICATION_RULES)
    @Operation(summary = "Create a rule: {name, description, direction, registry, filters, destination, trigger, override,"
            + " replicate_deletion, bandwidth_kbps, enabled}")
    @Audited(value = AuditEntry.Operation.REPLICATION_RULE_CREATE, type = "replication_rule", resource = "{body.name}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response create(String body, @Context UriInfo uri) {
        ReplicationService.RuleView created = replication.create(ReplicationJson.rule(JsonRequest.parse(body).object()));
        return Response.created(uri.getAbsolutePathBuilder().path(created.rule().name()).build())
                .type(MediaType.APPLICATION_JSON_TYPE).entity(ReplicationJson.rule(created).toString()).build();
    }

    @GET
    @Path(AdminRoutes.REPLICATION_RULE)
    @Operation(summary = "One rule with its last execution")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response rule(@PathParam("rule") String rule) {
        return ok(ReplicationJson.rule(replication.get(rule)).toString());
    }

    @PATCH
    @Path(AdminRoutes.REPLICATION_RULE)
    @Operation(summary = "Change any field but the name (nested objects field by field)")
    @Audited(value = AuditEntry.Operation.REPLICATION_RULE_UPDATE, type = "replication_rule", resource = "{rule}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response update(@PathParam("rule") String rule, String body) {
        JsonRequest json = JsonRequest.parse(body);
        ReplicationService.RuleView current = replication.get(rule);
        return ok(ReplicationJson.rule(replication.update(ReplicationJson.patched(current.rule(), json.object()))).toString());
    }

    @DELETE
    @Path(AdminRoutes.REPLICATION_RULE)
    @Operation(summary = "Delete a rule with its executions and tasks; 409 while one runs")
    @Audited(value = AuditEntry.Operation.REPLICATION_RULE_DELETE, type = "replication_rule", resource = "{rule}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response delete(@PathParam("rule") String rule) {
        replication.delete(rule);
        return Response.noContent().build();
    }

    @POST
    @Path(AdminRoutes.REPLICATION_RULE_EXECUTIONS)
    @Operation(summary = "Start a manual run: 202 with the execution; 409 while one of the rule runs")
    @Audited(value = AuditEntry.Operation.REPLICATION_START, type = "replication_rule", resource = "{rule}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response start(@PathParam("rule") String rule, @Context UriInfo uri) {
        return accepted(replication.start(rule), uri);
    }

    @GET
    @Path(AdminRoutes.REPLICATION_EXECUTIONS)
    @Operation(summary = "Executions newest first, of one rule (?rule=) or all, paged")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response executions(@QueryParam("rule") String rule, @QueryParam("page") String page,
                               @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<ReplicationExecution> listing = replication.executions(rule == null || rule.isEmpty() ? null : rule,
                paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), ReplicationJson::execution)).build();
    }

    @GET
    @Path(AdminRoutes.REPLICATION_EXECUTION)
    @Operation(summary = "One execution with its progress: task counts by status, bytes_total and bytes_done")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response execution(@PathParam("id") String id) {
        return ok(ReplicationJson.execution(replication.execution(id(id))).toString());
    }

    @POST
    @Path(AdminRoutes.REPLICATION_RETRY)
    @Operation(summary = "A new execution of the failed tasks only: 202 with it; 409 when none failed")
    @Audited(value = AuditEntry.Operation.REPLICATION_RETRY, type = "replication_execution", resource = "{id}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response retry(@PathParam("id") String id, @Context UriInfo uri) {
        return accepted(replication.retry(id(id)), uri);
    }

    @POST
    @Path(AdminRoutes.REPLICATION_STOP)
    @Operation(summary = "Ask a pending or running execution to stop (a blob under way is cut short at once; its task fails and a retry repeats it): 202; 409 when it has ended")
    @Audited(value = AuditEntry.Operation.REPLICATION_STOP, type = "replication_execution", resource = "{id}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response stop(@PathParam("id") String id) {
        return Response.accepted(ReplicationJson.execution(replication.stop(id(id))).toString())
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path(AdminRoutes.REPLICATION_TASKS)
    @Operation(summary = "An execution's tasks by id, of one status (?status=) or all, paged")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response tasks(@PathParam("id") String id, @QueryParam("status") String status, @QueryParam("page") String page,
                          @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<ReplicationTask> listing = replication.tasks(id(id), status(status).orElse(null), paging.offset(),
                paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), ReplicationJson::task)).build();
    }

    private static Response accepted(ReplicationExecution execution, UriInfo uri) {
        return Response.accepted(ReplicationJson.execution(execution).toString())
                .location(uri.getBaseUriBuilder().path(AdminRoutes.REPLICATION).path(AdminRoutes.REPLICATION_EXECUTIONS)
                        .path(String.valueOf(execution.id())).build())
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response ok(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException.NotFound("replication execution " + id + " not found", id);
        }
    }

    private static Optional<ReplicationTask.Status> status(String status) {
        if (status == null || status.isEmpty()) {
            return Optional.empty();
        }
        for (ReplicationTask.Status s : ReplicationTask.Status.values()) {
            if (s.jsonName().equals(status)) {
                return Optional.of(s);
            }
        }
        throw new RegistryException.InvalidRequest("'status' must be one of pending, running, succeeded, failed, skipped");
    }
}
