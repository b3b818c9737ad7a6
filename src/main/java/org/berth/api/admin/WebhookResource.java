package org.berth.api.admin;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.berth.application.CreatedSecret;
import org.berth.application.Listing;
import org.berth.application.webhook.WebhookService;
import org.berth.application.webhook.WebhookUpdate;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry;
import org.berth.domain.RegistryException;
import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookDelivery;
import org.berth.domain.webhook.WebhookEventType;

/**
 * {@code /api/v1/projects/{project}/webhooks} (issue 21), for the project's administrators. The
 * secret appears in the answer to a create or a rotation only; the Authorization header goes in
 * and never comes back ({@code has_auth_header}); the audit log names the webhook, never a field
 * of the body beyond its name.
 */
@RequestScoped
@Path(AdminRoutes.WEBHOOKS)
@Tag(name = "webhooks", description = "A project's webhooks and their delivery log")
public class WebhookResource {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<String> FIELDS = Set.of("name", "url", "event_types", "auth_header", "verify_tls", "format",
            "enabled");
    private static final int MAX_TYPES = WebhookEventType.values().length * 2;

    @Inject
    WebhookService webhooks;

    @POST
    @Operation(summary = "Add a webhook: {\"name\", \"url\", \"event_types\": [...], \"auth_header\", \"verify_tls\","
            + " \"format\": \"harbor\"|\"cloudevents\", \"enabled\"}; the answer holds the secret, shown only there")
    @Audited(value = AuditEntry.Operation.WEBHOOK_CREATE, type = "webhook", resource = "{body.name}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response create(@PathParam("project") String project, String body, @Context UriInfo uri) {
        JsonRequest json = JsonRequest.parse(body);
        json.onlyFields(FIELDS);
        CreatedSecret<Webhook> created = webhooks.create(project, new WebhookService.Draft(json.requiredString("name"),
                json.requiredString("url"), json.strings("event_types", MAX_TYPES).orElse(null), json.string("auth_header"),
                json.bool("verify_tls").orElse(true), json.string("format").orElse("harbor"),
                json.bool("enabled").orElse(true)));
        return ShownOnce.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.created().id())).build(),
                JSON.createObjectBuilder(AdminJson.webhook(created.created())).add("secret", created.secret()).build());
    }

    @GET
    @Operation(summary = "The project's webhooks by name, paged (never a secret nor an Authorization header)")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response list(@PathParam("project") String project, @QueryParam("page") String page,
                         @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<Webhook> listing = webhooks.list(project, paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), AdminJson::webhook)).build();
    }

    @GET
    @Path(AdminRoutes.WEBHOOK)
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response get(@PathParam("project") String project, @PathParam("webhook") String webhook) {
        return json(webhooks.get(project, id(webhook)));
    }

    @PATCH
    @Path(AdminRoutes.WEBHOOK)
    @Operation(summary = "Change any of the create fields; \"auth_header\": null or \"\" removes the header")
    @Audited(value = AuditEntry.Operation.WEBHOOK_UPDATE, type = "webhook", resource = "{webhook}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response update(@PathParam("project") String project, @PathParam("webhook") String webhook, String body) {
        JsonRequest json = JsonRequest.parse(body);
        json.onlyFields(FIELDS);
        WebhookUpdate update = new WebhookUpdate(json.string("name"), json.string("url"),
                json.strings("event_types", MAX_TYPES), json.change("auth_header"), json.bool("verify_tls"),
                json.string("format"), json.bool("enabled"));
        return json(webhooks.update(project, id(webhook), update));
    }

    @DELETE
    @Path(AdminRoutes.WEBHOOK)
    @Audited(value = AuditEntry.Operation.WEBHOOK_DELETE, type = "webhook", resource = "{webhook}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response delete(@PathParam("project") String project, @PathParam("webhook") String webhook) {
        webhooks.delete(project, id(webhook));
        return Response.noContent().build();
    }

    /** The only other place a secret appears: no cache may keep the answer. */
    @POST
    @Path(AdminRoutes.WEBHOOK_SECRET)
    @Operation(summary = "Rotate the secret: {\"secret\"}, shown only here; deliveries are signed with it from now on")
    @Audited(value = AuditEntry.Operation.WEBHOOK_UPDATE, type = "webhook", resource = "{webhook}")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response rotateSecret(@PathParam("project") String project, @PathParam("webhook") String webhook) {
        String secret = webhooks.rotateSecret(project, id(webhook));
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(JSON.createObjectBuilder().add("secret", secret).build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore).build();
    }

    @GET
    @Path(AdminRoutes.WEBHOOK_DELIVERIES)
    @Operation(summary = "The webhook's deliveries, newest first, paged: state (pending, delivered, dead), attempts,"
            + " response_code, duration_ms, last_error")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response deliveries(@PathParam("project") String project, @PathParam("webhook") String webhook,
                               @QueryParam("page") String page, @QueryParam("page_size") String pageSize,
                               @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<WebhookDelivery> listing = webhooks.deliveries(project, id(webhook), paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), AdminJson::delivery)).build();
    }

    @POST
    @Path(AdminRoutes.WEBHOOK_REDELIVER)
    @Operation(summary = "Send the delivery again (pending, attempts reset): 202")
    @Requires(value = Privilege.PROJECT_ADMIN, target = "{project}")
    public Response redeliver(@PathParam("project") String project, @PathParam("webhook") String webhook,
                              @PathParam("delivery") String delivery) {
        webhooks.redeliver(project, id(webhook), number(delivery, "delivery"));
        return Response.accepted().build();
    }

    private static long id(String webhook) {
        return number(webhook, "webhook");
    }

    private static long number(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RegistryException.NotFound(what + " not found", what);
        }
    }

    private static Response json(Webhook webhook) {
        return Response.ok(AdminJson.webhook(webhook).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
