package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.application.AccountService;
import org.berth.application.Listing;
import org.berth.auth.Privilege;
import org.berth.domain.Account;
import org.berth.domain.AuditEntry.Operation;

/** {@code /api/v1/users}: user accounts. */
@RequestScoped
@Path(AdminRoutes.USERS)
public class UserResource {

    @Inject
    AccountService accounts;

    @Inject
    AdminCaller caller;

    @POST
    @Requires(Privilege.SYSTEM_ADMIN)
    @Audited(value = Operation.USER_CREATE, type = "user", resource = "{body.username}")
    public Response create(String body, @Context UriInfo uri) {
        JsonRequest json = JsonRequest.parse(body);
        Account account = accounts.create(json.requiredString("username"), json.requiredPassword("password"),
                json.bool("sysadmin").orElse(false));
        return Response.created(uri.getAbsolutePathBuilder().path(account.username()).build())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(AdminJson.account(account).toString()).build();
    }

    @GET
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response list(@QueryParam("page") String page, @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<Account> listing = accounts.list(paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), AdminJson::account)).build();
    }

    @GET
    @Path(AdminRoutes.CURRENT)
    @Requires(Privilege.SIGNED_IN) // reading one's own profile is fine with a personal access token; changing it is not
    public Response current() {
        return json(accounts.get(caller.username()));
    }

    @GET
    @Path(AdminRoutes.USER)
    @Requires(value = Privilege.ACCOUNT_SELF, target = "{username}")
    public Response get(@PathParam("username") String username) {
        return json(accounts.get(username));
    }

    @PUT
    @Path(AdminRoutes.PASSWORD)
    @Requires(value = Privilege.ACCOUNT_SELF, target = "{username}")
    @Audited(value = Operation.PASSWORD_CHANGE, type = "user", resource = "{username}")
    public Response changePassword(@PathParam("username") String username, String body) {
        JsonRequest json = JsonRequest.parse(body);
        accounts.changePassword(caller.username(), username, json.password("old_password").orElse(null),
                json.requiredPassword("new_password"));
        return Response.noContent().build();
    }

    @PATCH
    @Path(AdminRoutes.USER)
    @Requires(Privilege.SYSTEM_ADMIN)
    @Audited(value = Operation.USER_UPDATE, type = "user", resource = "{username}")
    public Response update(@PathParam("username") String username, String body) {
        JsonRequest json = JsonRequest.parse(body);
        return json(accounts.update(username, json.bool("disabled").orElse(null), json.bool("sysadmin").orElse(null)));
    }

    private static Response json(Account account) {
        return Response.ok(AdminJson.account(account).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
