package org.berth.api.oci;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.berth.auth.Access;
import org.berth.auth.AccessController;
import org.berth.auth.AccessRequest;
import org.berth.auth.Grant;
import org.berth.auth.Identity;
import org.berth.domain.Action;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/** The client of the current /v2 request, as {@link OciAccessFilter} found it. */
@RequestScoped
public class Caller {

    @Inject
    AccessController accessController;

    private AccessRequest request;
    private Grant grant;

    void authorized(AccessRequest request, Grant grant) {
        this.request = request;
        this.grant = grant;
    }

    /** What the access check granted; set for every request that reached a resource. */
    public Grant grant() {
        return grant;
    }

    /**
     * Whom what this caller opens (an upload session) is counted against: the account (user,
     * robot login; a personal token's user), or for an anonymous caller its address. A username
     * never holds a '/', so the two cannot meet.
     */
    public String owner() {
        return ownerOf(grant.identity(), request.remoteAddress());
    }

    static String ownerOf(Identity identity, String address) {
        return identity.isAnonymous() ? "anonymous/" + address : identity.name();
    }

    /** Whether this caller may pull from the repository (used to choose a mount source). */
    public boolean mayPull(RepositoryName repository) {
        try {
            accessController.authorize(request, List.of(Access.repository(repository.value(), Set.of(Action.PULL))));
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }
}
