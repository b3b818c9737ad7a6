package org.berth.api.admin;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.berth.application.policy.ImmutableRuleService;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry;
import org.berth.domain.RegistryException;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.Selector;

/**
 * {@code /api/v1/projects/{project}/immutable-tags}: the project's immutable-tag rules. Its
 * maintainers read them, its admins add them; lifting (disabling) or deleting one is for a system
 * administrator alone.
 */
@RequestScoped
@Path(AdminRoutes.IMMUTABLE_TAGS)
@Tag(name = "immutable tags", description = "Rules that keep matching tags from moving or being deleted")
public class ImmutableTagResource {

    private static final Set<String> CREATE_FIELDS = Set.of("name", "repository", "tag");
    private static final Set<String> UPDATE_FIELDS = Set.of("disabled");

    @Inject
    ImmutableRuleService rules;

    @Inject
    AdminCaller caller;

    @GET
    @Operation(summary = "The project's immutable-tag rules, oldest first")
    @Requires(value = Privilege.PROJECT_MAINTAIN, target = "{project}")
    public Response list(@PathParam("project") String project) {
        return Response.ok(AdminJson.array(rules.list(project), PolicyJson::immutableRule),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Operation(summary = "Add a rule: {\"name\", \"repository\": {\"pattern\", \"mode\"} (default ** matching),"
            + " \"tag\": {\"pattern\", \"mode\"}}; at most 15 per project")
    @Audited(value = AuditEntry.Operation.IMMUTABLE_RULE_CREATE, type = "immutable_rule", resource = "{body.name}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response create(@PathParam("project") String project, String body, @Context UriInfo uri) {
        JsonRequest json = JsonRequest.parse(body);
        json.onlyFields(CREATE_FIELDS);
        String name = json.requiredString("name");
        Selector repository = PolicyJson.selector(json, "repository", Selector.ALL);
        Selector tag = PolicyJson.selector(json, "tag", null);
        ImmutableRule rule = rules.create(project, name, repository, tag, caller.username());
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(rule.id())).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(PolicyJson.immutableRule(rule).toString()).build();
    }

    @PATCH
    @Path(AdminRoutes.IMMUTABLE_TAG_RULE)
    @Operation(summary = "Lift a rule ({\"disabled\": true}) or restore it; system administrators only")
    @Audited(value = AuditEntry.Operation.IMMUTABLE_RULE_UPDATE, type = "immutable_rule", resource = "{id}")
    @Requires(value = Privilege.SYSTEM_ADMIN, target = "{project}")
    public Response update(@PathParam("project") String project, @PathParam("id") String id, String body) {
        JsonRequest json = JsonRequest.parse(body);
        json.onlyFields(UPDATE_FIELDS);
        ImmutableRule rule = rules.setDisabled(project, ruleId(project, id), json.requiredBool("disabled"));
        return Response.ok(PolicyJson.immutableRule(rule).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @DELETE
    @Path(AdminRoutes.IMMUTABLE_TAG_RULE)
    @Operation(summary = "Delete a rule; system administrators only")
    @Audited(value = AuditEntry.Operation.IMMUTABLE_RULE_DELETE, type = "immutable_rule", resource = "{id}")
    @Requires(value = Privilege.SYSTEM_ADMIN, target = "{project}")
    public Response delete(@PathParam("project") String project, @PathParam("id") String id) {
        rules.delete(project, ruleId(project, id));
        return Response.noContent().build();
    }

    /** A rule id is a positive number; anything else names no rule. */
    private static long ruleId(String project, String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RegistryException.NotFound("project '" + project + "' has no immutable-tag rule " + id, id);
    }
}
