package org.berth.domain.replication;

/**
 * A replication filter over repository names or tags: a {@link org.berth.domain.policy.Glob}, the
 * one glob dialect of Berth ({@code *} within a path segment, {@code **} across segments,
 * {@code ?} one character other than {@code /}, {@code {a,b}} alternatives), where the empty
 * filter matches everything.
 */
public final class Glob {

    /** The longest glob accepted (a repository name's limit). */
    public static final int MAX_LENGTH = 255;

    private final String text;
    private final org.berth.domain.policy.Glob glob;

    private Glob(String text, org.berth.domain.policy.Glob glob) {
        this.text = text;
        this.glob = glob;
    }

    /**
     * @throws IllegalArgumentException when longer than {@link #MAX_LENGTH}, holding a control
     *                                  character, or malformed (braces)
     */
    public static Glob of(String glob) {
        String text = glob == null ? "" : glob;
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a glob is at most " + MAX_LENGTH + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a glob holds no control characters");
        }
        return new Glob(text, text.isEmpty() ? null : org.berth.domain.policy.Glob.parse(text));
    }

    /** True when the glob holds a wildcard or alternatives: then it names no single repository. */
    public boolean hasWildcards() {
        return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '{');
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    public boolean matches(String name) {
        return glob == null || glob.matches(name);
    }

    /** The glob as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
