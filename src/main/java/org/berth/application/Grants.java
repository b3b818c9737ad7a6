package org.berth.application;

import java.time.Instant;
import java.util.Set;

import org.berth.domain.Action;
import org.berth.domain.RegistryException;

/** The rules shared by robot accounts and personal access tokens for what they may do and how long. */
final class Grants {

    private Grants() {
    }

    /** @throws RegistryException.InvalidRequest for no actions or an expiry that has passed */
    static void check(Set<Action> actions, Instant expiresAt, Instant now) {
        if (actions == null || actions.isEmpty()) {
            throw new RegistryException.InvalidRequest("choose at least one action of pull, push, delete");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new RegistryException.InvalidRequest("the expiry must be in the future");
        }
    }
}
