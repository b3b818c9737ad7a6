package org.berth.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.RegistryException;
import org.berth.infrastructure.config.BerthConfig;

/**
 * The access policy until accounts exist: anyone may pull; anyone may push and delete while the
 * anonymous-push switch ({@code berth.anonymous.push}) is on, nobody when it is off.
 */
@ApplicationScoped
public class OpenAccessController implements AccessController {

    static final String CHALLENGE = "Basic realm=\"Berth\"";

    @Inject
    BerthConfig config;

    @Override
    public Grant authorize(String authorization, List<Access> needed) {
        boolean writes = needed.stream().anyMatch(a -> a.actions().contains(Action.PUSH) || a.actions().contains(Action.DELETE));
        if (writes && !config.anonymousPush()) {
            throw new RegistryException.Unauthorized(
                    "anonymous push is disabled (berth.anonymous.push=false) and no accounts exist yet", CHALLENGE);
        }
        return Grant.ANONYMOUS;
    }
}
