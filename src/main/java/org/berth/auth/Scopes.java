package org.berth.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.berth.domain.Action;
import org.berth.domain.RepositoryName;

/**
 * Parses token-request scopes (Docker token spec "Token Scope Documentation"):
 * {@code resourcetype:resourcename:action[,action...]}; several scopes may come as repeated
 * {@code scope} parameters or space-separated in one (OAuth2 form).
 */
public final class Scopes {

    private Scopes() {
    }

    public static List<Access> parse(List<String> values) {
        List<Access> result = new ArrayList<>();
        if (values == null) {
            return result;
        }
        for (String value : values) {
            for (String scope : value.trim().split("\\s+")) {
                parseOne(scope).ifPresent(result::add);
            }
        }
        return result;
    }

    /** One scope; malformed ones and unknown resource types are ignored (nothing is granted for them). */
    public static Optional<Access> parseOne(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first) {
            return Optional.empty();
        }
        String type = scope.substring(0, first);
        String name = scope.substring(first + 1, last);
        String actions = scope.substring(last + 1);
        if (Access.REGISTRY.equals(type) && Access.CATALOG.equals(name)) {
            return Optional.of(Access.catalog());
        }
        if (Access.API.equals(type) && Access.API_VERSION.equals(name)) {
            return Optional.of(Access.api());
        }
        if (!Access.REPOSITORY.equals(type)) {
            return Optional.empty();
        }
        try {
            RepositoryName.parse(name);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        // "*" asks for everything (Docker token spec); it is intersected like any other request.
        var parsed = "*".equals(actions) ? java.util.EnumSet.allOf(Action.class) : Action.parseList(actions);
        return Optional.of(Access.repository(name, parsed));
    }
}
