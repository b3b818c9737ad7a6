package org.berth.remote;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Token scopes of Docker's token flow ("Token Scope Documentation": {@code resourcetype:name:action,action}),
 * several separated by spaces. A push asks {@code repository:<name>:pull,push}, a cross-repository
 * mount also {@code repository:<from>:pull}, a delete {@code repository:<name>:delete}.
 */
final class TokenScopes {

    private TokenScopes() {
    }

    static String pull(String repository) {
        return repository == null ? null : "repository:" + repository + ":pull";
    }

    static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    static String mount(String repository, String from) {
        return union(push(repository), pull(from));
    }

    static String delete(String repository) {
        return "repository:" + repository + ":delete";
    }

    /**
     * Both sets of scopes, one scope per resource with the actions of both, in the order first
     * seen: {@code repository:a:pull} and {@code repository:a:pull,push repository:b:pull} give
     * {@code repository:a:pull,push repository:b:pull}. Null when both are null or empty.
     */
    static String union(String a, String b) {
        Map<String, Set<String>> actions = new LinkedHashMap<>();
        for (String scopes : new String[] {a, b}) {
            if (scopes == null) {
                continue;
            }
            for (String scope : scopes.split(" ")) {
                int last = scope.lastIndexOf(':');
                if (last <= 0 || scope.indexOf(':') == last) {
                    if (!scope.isEmpty()) {
                        actions.computeIfAbsent(scope, k -> new LinkedHashSet<>()); // not type:name:actions; kept as sent
                    }
                    continue;
                }
                Set<String> set = actions.computeIfAbsent(scope.substring(0, last), k -> new LinkedHashSet<>());
                for (String action : scope.substring(last + 1).split(",")) {
                    if (!action.isEmpty()) {
                        set.add(action);
                    }
                }
            }
        }
        if (actions.isEmpty()) {
            return null;
        }
        StringBuilder b2 = new StringBuilder();
        actions.forEach((resource, set) -> {
            if (b2.length() > 0) {
                b2.append(' ');
            }
            b2.append(resource);
            if (!set.isEmpty()) {
                b2.append(':').append(String.join(",", set));
            }
        });
        return b2.toString();
    }
}
