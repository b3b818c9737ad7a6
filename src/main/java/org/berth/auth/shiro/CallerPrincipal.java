package org.berth.auth.shiro;

import java.io.Serializable;
import java.util.List;

import org.berth.auth.Access;
import org.berth.auth.Identity;

/**
 * The Shiro principal of an authenticated caller.
 *
 * @param identity    who it is
 * @param tokenAccess for bearer tokens, exactly what the token grants; null otherwise (rights then
 *                    come from roles)
 */
record CallerPrincipal(Identity identity, List<Access> tokenAccess) implements Serializable {

    boolean viaBearerToken() {
        return tokenAccess != null;
    }
}
