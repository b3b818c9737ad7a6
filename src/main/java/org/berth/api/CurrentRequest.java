package org.berth.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;

import org.berth.auth.AccessRequest;

/** The current HTTP request as the access controller needs to see it. */
@RequestScoped
public class CurrentRequest {

    @Inject
    HttpServletRequest servletRequest;

    @Inject
    ExternalUrls urls;

    public AccessRequest accessRequest() {
        return new AccessRequest(servletRequest.getHeader(HttpHeaders.AUTHORIZATION), urls.base(servletRequest),
                servletRequest.getRemoteAddr());
    }
}
