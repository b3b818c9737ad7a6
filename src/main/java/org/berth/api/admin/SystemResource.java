package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.berth.application.SystemInfoService;
import org.berth.application.SystemInfoService.SystemInfo;
import org.berth.auth.Privilege;

/**
 * {@code /api/v1/systeminfo}: any signed-in caller learns the version; system administrators also
 * the storage, the database and the counts.
 */
@RequestScoped
@Path(AdminRoutes.SYSTEMINFO)
public class SystemResource {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    SystemInfoService system;

    @Inject
    AdminCaller caller;

    @GET
    @Requires(Privilege.SIGNED_IN) // anonymous: 401; robots: 403
    public Response get() {
        JsonObjectBuilder body = JSON.createObjectBuilder().add("version", system.version());
        if (caller.holds(Privilege.SYSTEM_ADMIN, null)) {
            SystemInfo info = system.systemInfo();
            body.add("storage", JSON.createObjectBuilder()
                            .add("root", info.storage().root())
                            .add("free_bytes", info.storage().freeBytes())
                            .add("total_bytes", info.storage().totalBytes())
                            .add("used_bytes", info.storage().usedBytes()))
                    .add("database", JSON.createObjectBuilder()
                            .add("kind", info.database().kind())
                            .add("version", info.database().version()))
                    .add("counts", JSON.createObjectBuilder()
                            .add("users", info.counts().users())
                            .add("projects", info.counts().projects())
                            .add("repositories", info.counts().repositories())
                            .add("artifacts", info.counts().artifacts())
                            .add("blobs", info.counts().blobs()));
        }
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
