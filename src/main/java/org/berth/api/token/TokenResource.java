package org.berth.api.token;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.berth.api.CurrentRequest;
import org.berth.auth.Access;
import org.berth.auth.AccessController;
import org.berth.auth.AccessRequest;
import org.berth.auth.Grant;
import org.berth.auth.Scopes;
import org.berth.auth.token.TokenService;
import org.berth.domain.RegistryException;

/**
 * {@code /service/token}: the Docker registry token endpoint. {@code GET} with Basic credentials
 * (or none, for anonymous pulls) as docker does; {@code POST} with the OAuth2 form as containerd
 * and podman do. The token grants the intersection of what was asked and what the account may do.
 */
@RequestScoped
@Path("token")
public class TokenResource {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    AccessController accessController;

    @Inject
    TokenService tokens;

    @Inject
    CurrentRequest current;

    @GET
    public Response get(@QueryParam("service") String service, @QueryParam("scope") List<String> scope,
                        @QueryParam("offline_token") String offline) {
        Grant grant = accessController.grantable(current.accessRequest(), null, Scopes.parse(scope));
        return respond(grant, service, "true".equalsIgnoreCase(offline), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(@FormParam("grant_type") String grantType, @FormParam("username") String username,
                         @FormParam("password") String password, @FormParam("refresh_token") String refreshToken,
                         @FormParam("scope") List<String> scope, @FormParam("access_type") String accessType,
                         @FormParam("service") String service) {
        List<Access> requested = Scopes.parse(scope);
        AccessRequest request = current.accessRequest();
        Grant grant;
        if ("password".equals(grantType)) {
            if (username == null || password == null) {
                throw new RegistryException.Unauthorized("username and password are required", "Basic realm=\"Berth\"");
            }
            String basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            grant = accessController.grantable(new AccessRequest(basic, request.baseUrl(), request.remoteAddress()), null, requested);
        } else if ("refresh_token".equals(grantType)) {
            if (refreshToken == null) {
                throw new RegistryException.Unauthorized("refresh_token is required", "Basic realm=\"Berth\"");
            }
            grant = accessController.grantable(new AccessRequest(null, request.baseUrl(), request.remoteAddress()), refreshToken, requested);
        } else {
            throw new RegistryException.Unsupported("grant_type must be password or refresh_token");
        }
        boolean offline = "offline".equals(accessType) || "refresh_token".equals(grantType);
        return respond(grant, service, offline, "refresh_token".equals(grantType) ? refreshToken : null);
    }

    private Response respond(Grant grant, String service, boolean offline, String existingRefresh) {
        TokenService.Issued issued = tokens.issue(grant.identity(), grant.granted(), service);
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("token", issued.token())
                .add("access_token", issued.token())
                .add("expires_in", issued.expiresIn())
                .add("issued_at", DateTimeFormatter.ISO_INSTANT.format(issued.issuedAt()))
                .add("scope", grant.granted().stream().map(Access::scope).collect(Collectors.joining(" ")));
        if (offline && !grant.identity().isAnonymous()) {
            body.add("refresh_token", existingRefresh != null ? existingRefresh : tokens.issueRefresh(grant.identity()));
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore).build();
    }
}
