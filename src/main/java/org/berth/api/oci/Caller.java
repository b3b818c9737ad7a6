package org.berth.api.oci;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.berth.auth.Access;
import org.berth.auth.AccessController;
import org.berth.domain.Action;
import org.berth.auth.Grant;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/** The client of the current request, as {@link OciAccessFilter} found it. */
@RequestScoped
public class Caller {

    @Inject
    AccessController accessController;

    private String authorization;
    private Grant grant = new Grant(org.berth.auth.Identity.ANONYMOUS, java.util.Set.of());

    void authenticated(String authorization, Grant grant) {
        this.authorization = authorization;
        this.grant = grant;
    }

    public Grant grant() {
        return grant;
    }

    /** Whether this caller may pull from the repository (used to choose a mount source). */
    public boolean mayPull(RepositoryName repository) {
        try {
            accessController.authorize(authorization, List.of(Access.repository(repository.value(), Set.of(Action.PULL))));
            return true;
        } catch (RegistryException.Unauthorized | RegistryException.Denied e) {
            return false;
        }
    }
}
