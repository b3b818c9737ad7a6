package floorstack;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Answers /v2/ as Berth does without credentials: 401 with a challenge, from a CDI-injected resource. */
@Path("v2")
public class V2Resource {

    @Inject
    Things things;

    @GET
    public Response base() {
        return Response.status(401).header("WWW-Authenticate", "Basic realm=\"" + things.realm() + "\"").build();
    }
}
