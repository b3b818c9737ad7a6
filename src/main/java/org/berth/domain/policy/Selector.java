package org.berth.domain.policy;

import java.util.Locale;

/**
 * One side of a policy rule: the repositories or the tags it applies to, as a {@link Glob} that
 * either includes what it matches ({@code matching}) or everything else ({@code excluding}).
 *
 * <p>A repository selector is matched against the repository's path inside its project
 * ({@link #repositoryPath}): in project {@code team-a}, {@code team-a/app/api} is {@code app/api}.
 */
public record Selector(Glob glob, Mode mode) {

    /** Whether the glob's matches are selected or left out; JSON names {@code matching}, {@code excluding}. */
    public enum Mode {
        MATCHING, EXCLUDING;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for another name */
        public static Mode fromJson(String name) {
            for (Mode m : values()) {
                if (m.jsonName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("selector mode must be 'matching' or 'excluding', not '" + name + "'");
        }
    }

    /** Everything: {@code **} matching. */
    public static final Selector ALL = new Selector(Glob.parse("**"), Mode.MATCHING);

    public Selector {
        if (glob == null || mode == null) {
            throw new IllegalArgumentException("a selector needs a pattern and a mode");
        }
    }

    public static Selector matching(String pattern) {
        return new Selector(Glob.parse(pattern), Mode.MATCHING);
    }

    public static Selector excluding(String pattern) {
        return new Selector(Glob.parse(pattern), Mode.EXCLUDING);
    }

    public boolean selects(String value) {
        return glob.matches(value) == (mode == Mode.MATCHING);
    }

    /**
     * The path of {@code repository} inside {@code project}: the name without the project's
     * segment, or the whole name when it does not start with it.
     */
    public static String repositoryPath(String project, String repository) {
        String prefix = project + "/";
        return repository.startsWith(prefix) ? repository.substring(prefix.length()) : repository;
    }
}
