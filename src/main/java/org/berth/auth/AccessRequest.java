package org.berth.auth;

/**
 * What the access controller needs to know of an HTTP request.
 *
 * @param authorization the Authorization header, or null
 * @param baseUrl       the registry's external base URL (for the token realm in challenges)
 * @param remoteAddress the client's address (for logs and lockout), may be null
 */
public record AccessRequest(String authorization, String baseUrl, String remoteAddress) {
}
