package org.berth.auth;

import java.util.EnumSet;
import java.util.Set;

import org.berth.domain.Action;

/**
 * One thing a request needs or a token grants, in the terms of the Docker token spec scope
 * {@code repository:NAME:pull,push} or {@code registry:catalog:*}.
 */
public record Access(String type, String name, Set<Action> actions) {

    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";

    public Access {
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    public static Access repository(String name, Set<Action> actions) {
        return new Access(REPOSITORY, name, actions);
    }

    public static Access catalog() {
        return new Access(REGISTRY, CATALOG, Set.of());
    }

    public boolean isCatalog() {
        return REGISTRY.equals(type) && CATALOG.equals(name);
    }

    /** The scope string: {@code repository:library/nginx:pull,push} or {@code registry:catalog:*}. */
    public String scope() {
        return type + ":" + name + ":" + (isCatalog() ? "*" : Action.toList(actions));
    }
}
