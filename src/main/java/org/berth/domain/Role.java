package org.berth.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** A member's role in a project, as in Harbor: what it may do to the project's repositories. */
public enum Role {
    /** Everything, including managing members and robot accounts. */
    PROJECT_ADMIN(EnumSet.allOf(Action.class)),
    /** Push, pull, delete. */
    MAINTAINER(EnumSet.allOf(Action.class)),
    /** Push and pull. */
    DEVELOPER(EnumSet.of(Action.PULL, Action.PUSH)),
    /** Pull only. */
    GUEST(EnumSet.of(Action.PULL));

    private final Set<Action> actions;

    Role(Set<Action> actions) {
        this.actions = actions;
    }

    public Set<Action> actions() {
        return EnumSet.copyOf(actions);
    }

    public boolean manages() {
        return this == PROJECT_ADMIN;
    }

    /** The JSON name: {@code project_admin}, {@code maintainer}, {@code developer}, {@code guest}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> byJsonName(String name) {
        for (Role r : values()) {
            if (r.jsonName().equalsIgnoreCase(name) || r.jsonName().replace("_", "").equalsIgnoreCase(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
