package org.berth.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who the {@link AccessController} authenticated during the current request, and the client's
 * address it was given: what the audit log records as the actor, whether the request then
 * succeeds or is refused. Null identity: no authentication succeeded (no check ran yet, or the
 * credentials were wrong, which is a failed login of its own).
 */
@RequestScoped
public class RequestIdentity {

    private Identity identity;
    private String sourceAddress;

    /** Called by the access controller for each authentication attempt. */
    public void attempted(String sourceAddress) {
        this.sourceAddress = sourceAddress;
    }

    /** Called by the access controller once the caller is known. */
    public void authenticated(Identity identity) {
        this.identity = identity;
    }

    public Identity identity() {
        return identity;
    }

    public String sourceAddress() {
        return sourceAddress;
    }
}
