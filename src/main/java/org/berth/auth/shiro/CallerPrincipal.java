package org.berth.auth.shiro;

import java.io.Serializable;
import java.util.List;
import java.util.function.Supplier;

import org.apache.shiro.authz.AuthorizationInfo;
import org.berth.auth.Access;
import org.berth.auth.Identity;

/**
 * The Shiro principal of an authenticated caller. One is made per request, so it also holds that
 * request's authorization info: Shiro asks for it on every {@code isPermitted}, and it is worked
 * out (from the database) once.
 */
final class CallerPrincipal implements Serializable {

    private final Identity identity;
    private final List<Access> tokenAccess;
    private transient AuthorizationInfo authorization;

    /**
     * @param identity    who it is
     * @param tokenAccess for bearer tokens, exactly what the token grants; null otherwise (rights
     *                    then come from roles)
     */
    CallerPrincipal(Identity identity, List<Access> tokenAccess) {
        this.identity = identity;
        this.tokenAccess = tokenAccess;
    }

    Identity identity() {
        return identity;
    }

    List<Access> tokenAccess() {
        return tokenAccess;
    }

    boolean viaBearerToken() {
        return tokenAccess != null;
    }

    synchronized AuthorizationInfo authorization(Supplier<AuthorizationInfo> compute) {
        if (authorization == null) {
            authorization = compute.get();
        }
        return authorization;
    }
}
