package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.auth.Privilege;
import org.berth.application.CreatedSecret;
import org.berth.application.PersonalTokenService;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.PersonalToken;

/** {@code /api/v1/users/current/tokens}: the caller's personal access tokens. */
@RequestScoped
@Path(AdminRoutes.TOKENS)
public class PersonalTokenResource {

    @Inject
    PersonalTokenService tokens;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(Privilege.ACCOUNT_SELF)
    public Response list() {
        String username = caller.username();
        return Response.ok(AdminJson.array(tokens.list(username), t -> AdminJson.token(t).build()),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The response is the only place the token ever appears. */
    @POST
    @Requires(Privilege.ACCOUNT_SELF)
    @Audited(value = Operation.TOKEN_CREATE, type = "token", resource = "{body.name}")
    public Response create(String body, @Context UriInfo uri) {
        String username = caller.username();
        JsonRequest json = JsonRequest.parse(body);
        CreatedSecret<PersonalToken> created = tokens.create(username, json.requiredString("name"),
                json.actions("actions"), json.instant("expires_at").orElse(null));
        return ShownOnce.created(uri.getAbsolutePathBuilder().path(created.created().name()).build(),
                AdminJson.token(created.created()).add("token", created.secret()).build());
    }

    @DELETE
    @Path(AdminRoutes.TOKEN)
    @Requires(Privilege.ACCOUNT_SELF)
    @Audited(value = Operation.TOKEN_REVOKE, type = "token", resource = "{name}")
    public Response revoke(@PathParam("name") String name) {
        String username = caller.username();
        tokens.revoke(username, name);
        return Response.noContent().build();
    }
}
