package org.berth.auth;

import java.util.EnumSet;
import java.util.Set;

import org.berth.domain.Action;

/**
 * One thing a request needs or a token grants, in the terms of the Docker token spec scope
 * {@code repository:NAME:pull,push} or {@code registry:catalog:*}; and Berth's own
 * {@code api:v1:*}, which makes a token good for the administration API (the portal asks for it).
 * Tokens without it are for /v2 only.
 */
public record Access(String type, String name, Set<Action> actions) {

    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";
    public static final String API = "api";
    public static final String API_VERSION = "v1";

    public Access {
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    public static Access repository(String name, Set<Action> actions) {
        return new Access(REPOSITORY, name, actions);
    }

    public static Access catalog() {
        return new Access(REGISTRY, CATALOG, Set.of());
    }

    /** Use of the administration API ({@code api:v1:*}) with the rights of the token's subject. */
    public static Access api() {
        return new Access(API, API_VERSION, Set.of());
    }

    public boolean isCatalog() {
        return REGISTRY.equals(type) && CATALOG.equals(name);
    }

    public boolean isApi() {
        return API.equals(type) && API_VERSION.equals(name);
    }

    /** Access to a repository (neither the catalog nor the API). */
    public boolean isRepository() {
        return REPOSITORY.equals(type);
    }

    /** The scope string: {@code repository:library/nginx:pull,push}, {@code registry:catalog:*} or {@code api:v1:*}. */
    public String scope() {
        return type + ":" + name + ":" + (isRepository() ? Action.toList(actions) : "*");
    }
}
