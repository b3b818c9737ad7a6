package org.berth.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;

import org.berth.auth.AccessRequest;
import org.berth.infrastructure.config.BerthConfig;

/** The current HTTP request as the access controller needs to see it. */
@ApplicationScoped
public class CurrentRequest {

    @Inject
    HttpServletRequest servletRequest;

    @Inject
    ExternalUrls urls;

    @Inject
    BerthConfig config;

    public AccessRequest accessRequest() {
        return new AccessRequest(servletRequest.getHeader(HttpHeaders.AUTHORIZATION), urls.base(servletRequest),
                ClientAddress.of(servletRequest.getRemoteAddr(), servletRequest.getHeader("X-Forwarded-For"),
                        config.trustedProxies()));
    }
}
