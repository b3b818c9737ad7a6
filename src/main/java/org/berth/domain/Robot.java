package org.berth.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A robot account of one project, for CI and scripts: logs in as {@code robot$<project>+<name>}
 * with a secret shown once at creation, and may do only its chosen actions in its project.
 */
public record Robot(String project, String name, String secretHash, Set<Action> actions, Instant expiresAt,
                    boolean disabled, Instant createdAt) {

    public static final String PREFIX = "robot$";

    /** A robot's own name, as in Harbor: lower-case letters and digits, separated by {@code . _ -}. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    /** The parts of a login name {@code robot$<project>+<name>}. */
    public record Login(String project, String name) {
    }

    public static boolean isValidName(String name) {
        return name != null && name.length() <= 255 && NAME.matcher(name).matches();
    }

    /** Splits a login name at the first {@code +} (project names never contain one); empty when it is not a robot's. */
    public static Optional<Login> parseLoginName(String login) {
        if (login == null || !login.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = login.substring(PREFIX.length());
        int plus = rest.indexOf('+');
        if (plus <= 0 || plus == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Login(rest.substring(0, plus), rest.substring(plus + 1)));
    }

    public String loginName() {
        return PREFIX + project + "+" + name;
    }

    public boolean usableAt(Instant now) {
        return !disabled && (expiresAt == null || now.isBefore(expiresAt));
    }
}
