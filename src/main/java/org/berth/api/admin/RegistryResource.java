package org.berth.api.admin;

import java.util.Locale;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
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
import org.berth.application.proxy.PingResult;
import org.berth.application.proxy.RegistryEndpointService;
import org.berth.application.proxy.RegistryEndpointUpdate;
import org.berth.application.proxy.UpstreamGate;
import org.berth.auth.Privilege;
import org.berth.domain.AuditEntry;
import org.berth.domain.proxy.RegistryEndpoint;

/**
 * {@code /api/v1/registries}: the remote registries proxy projects pull from (issue 20), for
 * system administrators. A password goes in and is never sent back (only {@code has_password});
 * the audit log names the endpoint ({@code {body.name}} or the path), never a field of the body
 * beyond the name.
 */
@RequestScoped
@Path(AdminRoutes.REGISTRIES)
@Tag(name = "registries", description = "Remote registries that proxy-cache projects pull from")
public class RegistryResource {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    RegistryEndpointService registries;

    @Inject
    UpstreamGate gate;

    @POST
    @Operation(summary = "Add a registry endpoint: {\"name\", \"url\", \"username\", \"password\", \"verify_tls\"}"
            + " (credentials optional, verify_tls true unless false)")
    @Audited(value = AuditEntry.Operation.REGISTRY_CREATE, type = "registry", resource = "{body.name}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response create(String body, @Context UriInfo uri) {
        JsonRequest json = JsonRequest.parse(body);
        RegistryEndpoint created = registries.create(json.requiredString("name"), json.requiredString("url"),
                json.string("username"), json.string("password"), json.bool("verify_tls").orElse(true));
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(AdminJson.registry(created).toString()).build();
    }

    @GET
    @Operation(summary = "The registry endpoints by name, paged (never a password)")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<RegistryEndpoint> listing = registries.list(paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), AdminJson::registry)).build();
    }

    @GET
    @Path(AdminRoutes.REGISTRY)
    @Operation(summary = "One registry endpoint, with its status as the proxy cache sees it: {\"state\": \"ok\","
            + " \"rate_limited\" or \"circuit_open\", \"until\", \"last_error\"}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response get(@PathParam("registry") String registry) {
        RegistryEndpoint endpoint = registries.get(registry);
        UpstreamGate.Status status = gate.status(endpoint.name());
        JsonObjectBuilder json = JSON.createObjectBuilder().add("state", status.state());
        status.until().ifPresent(until -> json.add("until", until.toString()));
        status.lastError().ifPresent(error -> json.add("last_error", error));
        JsonObject body = JSON.createObjectBuilder(AdminJson.registry(endpoint)).add("status", json).build();
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @PATCH
    @Path(AdminRoutes.REGISTRY)
    @Operation(summary = "Change any of url, username, password (\"\" or null removes the credential) and verify_tls")
    @Audited(value = AuditEntry.Operation.REGISTRY_UPDATE, type = "registry", resource = "{registry}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response update(@PathParam("registry") String registry, String body) {
        JsonRequest json = JsonRequest.parse(body);
        RegistryEndpointUpdate update = new RegistryEndpointUpdate(json.string("url"), json.change("username"),
                json.change("password"), json.bool("verify_tls"));
        return json(registries.update(registry, update));
    }

    @DELETE
    @Path(AdminRoutes.REGISTRY)
    @Operation(summary = "Delete a registry endpoint; 409 while a proxy project uses it")
    @Audited(value = AuditEntry.Operation.REGISTRY_DELETE, type = "registry", resource = "{registry}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response delete(@PathParam("registry") String registry) {
        registries.delete(registry);
        return Response.noContent().build();
    }

    /** Always 200 when the endpoint exists: a registry that fails the test is an answer, not an error. */
    @POST
    @Path(AdminRoutes.REGISTRY_PING)
    @Operation(summary = "Test the connection (GET /v2/ with the credentials): {\"ok\": true, \"duration_ms\"} or"
            + " {\"ok\": false, \"reason\": auth|unreachable|timeout|server_error|rate_limited|not_found|invalid, \"message\"}")
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response ping(@PathParam("registry") String registry) {
        PingResult result = registries.ping(registry);
        JsonObjectBuilder json = JSON.createObjectBuilder().add("ok", result.ok());
        if (result.ok()) {
            json.add("duration_ms", result.duration().toMillis());
        } else {
            json.add("reason", result.failure().orElseThrow().name().toLowerCase(Locale.ROOT));
            json.add("message", result.message().orElse(""));
        }
        return Response.ok(json.build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response json(RegistryEndpoint endpoint) {
        return Response.ok(AdminJson.registry(endpoint).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
