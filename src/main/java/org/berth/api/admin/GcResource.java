package org.berth.api.admin;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.berth.api.ExternalUrls;
import org.berth.application.Listing;
import org.berth.application.gc.GcService;
import org.berth.auth.Privilege;
import org.berth.domain.RegistryException;
import org.berth.domain.gc.GcOptions;
import org.berth.domain.gc.GcRun;

/**
 * {@code /api/v1/system/gc}: start, watch and cancel garbage collection, and read its history
 * (system administrators only). A run records itself in the audit log when it ends, one entry per
 * run, so these routes record nothing of their own.
 */
@RequestScoped
@Path(AdminRoutes.GC)
public class GcResource {

    private static final Set<String> START_FIELDS = Set.of("dry_run", "delete_untagged");

    @Inject
    GcService gc;

    @Inject
    ExternalUrls urls;

    @GET
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response status() {
        return json(Response.ok(), GcJson.status(gc.status()).toString());
    }

    /** Starts a run: 202 with the run, {@code Location} its URL; 409 CONFLICT while one runs. */
    @POST
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response start(String body) {
        GcOptions options = new GcOptions(false, false);
        if (body != null && !body.isBlank()) {
            JsonRequest request = JsonRequest.parse(body);
            request.onlyFields(START_FIELDS);
            options = new GcOptions(request.bool("dry_run").orElse(false), request.bool("delete_untagged").orElse(false));
        }
        GcRun run = gc.start(options);
        // the URL clients use (BERTH_EXTERNAL_URL, or a trusted proxy's headers), as for /v2's Location
        String location = urls.absolute("/api/" + AdminRoutes.GC + "/" + AdminRoutes.GC_RUNS + "/" + run.id());
        return json(Response.accepted().header("Location", location), GcJson.run(run).toString());
    }

    /** Asks the running run to stop (within a second): 202 with the run; 409 CONFLICT when none runs. */
    @POST
    @Path(AdminRoutes.GC_CANCEL)
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response cancel() {
        return json(Response.accepted(), GcJson.run(gc.cancel()).toString());
    }

    @GET
    @Path(AdminRoutes.GC_RUNS)
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response history(@QueryParam("page") String page, @QueryParam("page_size") String pageSize, @Context UriInfo uri) {
        AdminPaging paging = AdminPaging.of(page, pageSize);
        Listing<GcRun> listing = gc.history(paging.offset(), paging.pageSize());
        return paging.respond(listing, uri, AdminJson.array(listing.items(), GcJson::run)).build();
    }

    @GET
    @Path(AdminRoutes.GC_RUN)
    @Requires(Privilege.SYSTEM_ADMIN)
    public Response run(@PathParam("id") String id) {
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new RegistryException.NotFound("garbage collection run " + id + " not found", id);
        }
        return json(Response.ok(), GcJson.run(gc.get(number)).toString());
    }

    private static Response json(Response.ResponseBuilder response, String body) {
        return response.entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
