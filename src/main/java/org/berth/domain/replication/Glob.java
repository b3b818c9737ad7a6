package org.berth.domain.replication;

/**
 * A glob over repository names and tags, as replication filters take them: {@code *} any run of
 * characters within one path segment (never a {@code /}), {@code **} any run across segments
 * ({@code team/**} matches {@code team/a} and {@code team/a/b}; {@code **}{@code /x} matches
 * {@code x} too), {@code ?} one character other than {@code /}; everything else literally. The
 * empty glob matches everything. Matched by dynamic programming over (glob token, name position),
 * never by a backtracking regex: a glob of many stars costs at most tokens times characters.
 */
public final class Glob {

    /** The longest glob accepted (a repository name's limit). */
    public static final int MAX_LENGTH = 255;

    private static final char LITERAL = 'L';
    private static final char ONE = '?';
    private static final char STAR = '*';
    private static final char ANY = 'A';          // "**": any run, slashes included
    private static final char ANY_SEGMENTS = 'S'; // "**/": nothing, or any run ending in a slash

    private final String text;
    private final char[] kinds;
    private final char[] literals;

    private Glob(String text, char[] kinds, char[] literals) {
        this.text = text;
        this.kinds = kinds;
        this.literals = literals;
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
        StringBuilder kinds = new StringBuilder();
        StringBuilder literals = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                i += 2;
                while (i < text.length() && text.charAt(i) == '*') {
                    i++; // "***" is "**"
                }
                if (i < text.length() && text.charAt(i) == '/') {
                    kinds.append(ANY_SEGMENTS);
                    i++;
                } else {
                    kinds.append(ANY);
                }
                literals.append(' ');
                continue;
            }
            kinds.append(c == '*' ? STAR : c == '?' ? ONE : LITERAL);
            literals.append(c);
            i++;
        }
        return new Glob(text, kinds.toString().toCharArray(), literals.toString().toCharArray());
    }

    /** True when the glob holds a wildcard ({@code *} or {@code ?}): then it names no single repository. */
    public boolean hasWildcards() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    public boolean matches(String name) {
        if (text.isEmpty()) {
            return true;
        }
        int t = kinds.length;
        int n = name.length();
        // match[i][j]: tokens i.. match name[j..]; slash[i][j]: some '/' at k >= j with match[i+1][k+1]
        boolean[][] match = new boolean[t + 1][n + 1];
        boolean[][] slash = new boolean[t + 1][n + 2];
        match[t][n] = true;
        for (int i = t - 1; i >= 0; i--) {
            for (int j = n; j >= 0; j--) {
                boolean more = j < n;
                char c = more ? name.charAt(j) : 0;
                slash[i][j] = more && (c == '/' && match[i + 1][j + 1] || slash[i][j + 1]);
                match[i][j] = switch (kinds[i]) {
                    case LITERAL -> more && c == literals[i] && match[i + 1][j + 1];
                    case ONE -> more && c != '/' && match[i + 1][j + 1];
                    case STAR -> match[i + 1][j] || more && c != '/' && match[i][j + 1];
                    case ANY -> match[i + 1][j] || more && match[i][j + 1];
                    default -> match[i + 1][j] || slash[i][j];
                };
            }
        }
        return match[0][0];
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
