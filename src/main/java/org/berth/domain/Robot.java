package org.berth.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A robot account of one project, for CI and scripts: logs in as {@code robot$<project>+<name>}
 * with a secret shown once at creation, and may do only its chosen actions in its project.
 */
public record Robot(String project, String name, String secretHash, Set<Action> actions, Instant expiresAt,
                    boolean disabled, Instant createdAt) {

    public static final String PREFIX = "robot$";

    public String loginName() {
        return PREFIX + project + "+" + name;
    }

    public boolean usableAt(Instant now) {
        return !disabled && (expiresAt == null || now.isBefore(expiresAt));
    }
}
