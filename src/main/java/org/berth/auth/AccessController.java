package org.berth.auth;

import java.util.List;

/**
 * The one seam every permission decision passes, for /v2 and for the administration API.
 * Implementations throw {@link org.berth.domain.RegistryException.Unauthorized} (with a challenge)
 * when the caller must authenticate, {@link org.berth.domain.RegistryException.Denied} when the
 * caller lacks the right, and {@link org.berth.domain.RegistryException.NameUnknown} when the
 * target is a private project the caller may not even know of.
 */
public interface AccessController {

    /**
     * Authorizes a /v2 request.
     *
     * @param authorization the request's Authorization header, or null
     * @param needed        everything the request needs; all must be granted
     */
    Grant authorize(String authorization, List<Access> needed);

    /**
     * Establishes who calls the administration API: anonymous when there are no credentials.
     *
     * @throws org.berth.domain.RegistryException.Unauthorized for wrong credentials
     */
    Identity authenticate(String authorization);

    /** Checks an administration right of an authenticated identity. */
    void check(Identity identity, Privilege privilege, String target);
}
