package org.berth.domain.replication;

import java.util.regex.Pattern;

/**
 * A glob over repository names and tags, as replication filters take them: {@code *} any run of
 * characters within one path segment (never a {@code /}), {@code **} any run across segments
 * ({@code team/**} matches {@code team/a} and {@code team/a/b}; {@code **}{@code /x} matches
 * {@code x} too), {@code ?} one character other than {@code /}; everything else literally. The
 * empty glob matches everything. Compiled once to a regex; matching is linear in the name.
 */
public final class Glob {

    /** The longest glob accepted (a repository name's limit). */
    public static final int MAX_LENGTH = 255;

    private final String text;
    private final Pattern pattern;

    private Glob(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException when longer than {@link #MAX_LENGTH} or holding a control character
     */
    public static Glob of(String glob) {
        String text = glob == null ? "" : glob;
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a glob is at most " + MAX_LENGTH + " characters");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a glob holds no control characters");
        }
        return new Glob(text, text.isEmpty() ? null : Pattern.compile(regex(text)));
    }

    private static String regex(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i += 2;
                if (i < glob.length() && glob.charAt(i) == '/') {
                    regex.append("(?:.*/)?"); // "**/" also matches no segment at all
                    i++;
                } else {
                    regex.append(".*");
                }
                continue;
            }
            if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return regex.toString();
    }

    /** True when the glob holds a wildcard ({@code *} or {@code ?}): then it names no single repository. */
    public boolean hasWildcards() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    public boolean matches(String name) {
        return pattern == null || pattern.matcher(name).matches();
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
