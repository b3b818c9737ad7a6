package org.berth.api.admin;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.berth.api.CurrentRequest;
import org.berth.auth.AccessController;
import org.berth.auth.Identity;
import org.berth.auth.Privilege;
import org.berth.domain.RegistryException;

/**
 * Who calls the administration API. {@link AdminAccessFilter} checks each route's
 * {@link Requires} through it before the resource runs; resources then only ask who the caller
 * is. Every answer comes from the {@link AccessController}.
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

    /** The caller's account name (the route required one: ACCOUNT_SELF or SIGNED_IN). */
    public String username() {
        return identity().username();
    }

    /** @return the caller, once the access controller granted the privilege on the target */
    Identity require(Privilege privilege, String target) {
        Identity caller = identity();
        accessController.check(caller, privilege, target);
        return caller;
    }

    /** Whether the caller also holds a privilege (a route that shows more to some callers). */
    public boolean holds(Privilege privilege, String target) {
        try {
            require(privilege, target);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }
}
