package org.berth.auth;

import java.util.Set;

import org.berth.domain.Action;

/**
 * One thing a request needs: actions on a resource, in the terms of the Docker token spec scope
 * {@code repository:NAME:pull,push} or {@code registry:catalog:*}.
 */
public record Access(String type, String name, Set<Action> actions) {

    public static Access repository(String name, Set<Action> actions) {
        return new Access("repository", name, Set.copyOf(actions));
    }

    public static Access catalog() {
        return new Access("registry", "catalog", Set.of());
    }
}
