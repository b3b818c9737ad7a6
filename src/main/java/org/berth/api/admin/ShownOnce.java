package org.berth.api.admin;

import java.net.URI;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The 201 response that carries a new robot secret or personal access token, the only place it
 * ever appears: no cache or proxy may keep it (RFC 9111 section 5.2.2.5, {@code no-store}).
 */
final class ShownOnce {

    private ShownOnce() {
    }

    static Response created(URI location, JsonObject body) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.created(location)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .cacheControl(noStore)
                .entity(body.toString())
                .build();
    }
}
