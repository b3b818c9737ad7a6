package org.berth.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a client may do to a repository (Docker token spec scope actions). */
public enum Action {
    PULL, PUSH, DELETE;

    /** The name in scopes and JSON: {@code pull}, {@code push}, {@code delete}. */
    public String scopeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> byScopeName(String name) {
        for (Action a : values()) {
            if (a.scopeName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** {@code pull,push} → {PULL, PUSH}; unknown names are ignored. */
    public static Set<Action> parseList(String csv) {
        Set<Action> result = EnumSet.noneOf(Action.class);
        if (csv == null) {
            return result;
        }
        for (String part : csv.split(",")) {
            byScopeName(part.trim().toLowerCase(Locale.ROOT)).ifPresent(result::add);
        }
        return result;
    }

    /** {PULL, PUSH} → {@code pull,push}, in declaration order. */
    public static String toList(Set<Action> actions) {
        return actions.stream().sorted().map(Action::scopeName).collect(Collectors.joining(","));
    }
}
