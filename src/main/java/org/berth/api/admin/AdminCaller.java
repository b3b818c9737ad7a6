package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.berth.api.CurrentRequest;
import org.berth.auth.AccessController;
import org.berth.auth.Identity;
import org.berth.auth.Privilege;

/**
 * Who calls the administration API, and the one way resources ask whether the caller may do
 * something: every answer comes from the {@link AccessController}.
 */
@RequestScoped
public class AdminCaller {

    @Inject
    AccessController accessController;

    @Inject
    CurrentRequest request;

    private Identity identity;

    /**
     * The caller, authenticated once per request: anonymous without credentials.
     *
     * @throws org.berth.domain.RegistryException.Unauthorized for wrong credentials
     */
    public Identity identity() {
        if (identity == null) {
            identity = accessController.authenticate(request.accessRequest());
        }
        return identity;
    }

    /** @return the caller, once the access controller granted the privilege on the target */
    public Identity require(Privilege privilege, String target) {
        Identity caller = identity();
        accessController.check(caller, privilege, target);
        return caller;
    }

    /**
     * For operations on the caller's own account (its tokens, projects it creates): the access
     * controller refuses callers without one (anonymous, robots).
     *
     * @return the caller's username
     */
    public String requireAccount() {
        Identity caller = identity();
        accessController.check(caller, Privilege.ACCOUNT_SELF, caller.username());
        return caller.username();
    }
}
