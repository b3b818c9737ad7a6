package org.berth.auth;

import java.util.List;
import java.util.Set;

/**
 * The one seam every permission decision passes, for /v2, the token service and the
 * administration API. Implementations throw {@link org.berth.domain.RegistryException.Unauthorized}
 * (with a challenge) when the caller must authenticate, {@link org.berth.domain.RegistryException.Denied}
 * when the caller lacks the right, {@link org.berth.domain.RegistryException.NameUnknown} when the
 * target is a private project the caller may not know of, and
 * {@link org.berth.domain.RegistryException.TooManyRequests} while an account is locked out.
 */
public interface AccessController {

    /**
     * Authorizes a /v2 request.
     *
     * @param needed everything the request needs; all must be granted. Empty for {@code GET /v2/},
     *               which only asks the caller to authenticate.
     */
    Grant authorize(AccessRequest request, List<Access> needed);

    /**
     * The token service's question: of what was asked, what may the caller have? The answer is
     * the intersection; asking for more is not an error.
     *
     * @param refreshToken a refresh token to authenticate with instead of the Authorization header, or null
     */
    Grant grantable(AccessRequest request, String refreshToken, List<Access> requested);

    /**
     * Establishes who calls the administration API: anonymous when there are no credentials;
     * Basic credentials; or a token issued for the API ({@link Access#api()}), worth what its
     * credential is worth now. Tokens issued for /v2 alone are refused.
     *
     * @throws org.berth.domain.RegistryException.Unauthorized for wrong credentials
     */
    Identity authenticate(AccessRequest request);

    /** Checks an administration right of an authenticated identity. */
    void check(Identity identity, Privilege privilege, String target);

    /**
     * The one answer to "which projects may this caller see" (the catalog, the project list,
     * search): the projects whose repositories it may pull from.
     *
     * @return the project names, or null for all of them
     */
    Set<String> visibleProjects(Identity identity);
}
