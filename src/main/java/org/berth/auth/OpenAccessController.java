package org.berth.auth;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.Action;
import org.berth.domain.RegistryException;
import org.berth.infrastructure.config.BerthConfig;

/** TEMPORARY on the identity branch: replaced by the Shiro access controller. */
@ApplicationScoped
public class OpenAccessController implements AccessController {

    static final String CHALLENGE = "Basic realm=\"Berth\"";

    @Inject
    BerthConfig config;

    @Override
    public Grant authorize(String authorization, List<Access> needed) {
        boolean writes = needed.stream().anyMatch(a -> a.actions().contains(Action.PUSH) || a.actions().contains(Action.DELETE));
        if (writes && !config.anonymousPush()) {
            throw new RegistryException.Unauthorized("anonymous push is disabled", CHALLENGE);
        }
        return new Grant(Identity.ANONYMOUS, null);
    }

    @Override
    public Identity authenticate(String authorization) {
        return Identity.ANONYMOUS;
    }

    @Override
    public void check(Identity identity, Privilege privilege, String target) {
    }
}
