package org.berth.auth;

import java.util.List;

/**
 * The one seam every /v2 request passes: decides whether a caller may have the access a request
 * needs. Implementations throw {@link org.berth.domain.RegistryException.Unauthorized} (with a
 * challenge) when the caller must authenticate and {@link org.berth.domain.RegistryException.Denied}
 * when an authenticated caller lacks the right.
 */
public interface AccessController {

    /**
     * @param authorization the request's Authorization header, or null
     * @param needed        everything the request needs; all must be granted
     */
    Grant authorize(String authorization, List<Access> needed);
}
