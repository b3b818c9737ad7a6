package org.berth.auth;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.auth.token.TokenSettings;

/**
 * Writes the {@code WWW-Authenticate} challenges of every 401: the Docker token spec's Bearer
 * challenge on /v2, a Basic one for the token service and the administration API.
 */
@ApplicationScoped
public class Challenges {

    @Inject
    TokenSettings tokenSettings;

    /** For the token service and /api: they take Basic credentials (or, on /api, an API token). */
    public static String basic() {
        return "Basic realm=\"Berth\"";
    }

    /** Docker token spec: {@code Bearer realm="…/service/token",service="…",scope="…"[,error="…"]}. */
    public String bearer(AccessRequest request, List<Access> needed, String error) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(request.baseUrl()).append("/service/token\"")
                .append(",service=\"").append(tokenSettings.service()).append('"');
        if (!needed.isEmpty()) {
            challenge.append(",scope=\"").append(needed.stream().map(Access::scope).collect(Collectors.joining(" "))).append('"');
        }
        if (error != null) {
            challenge.append(",error=\"").append(error).append('"');
        }
        return challenge.toString();
    }
}
