package org.berth.domain.policy;

import java.util.regex.Pattern;

/**
 * A glob over repository paths and tags, as the policy rules of a project write them (Harbor's
 * selectors use the same syntax, after {@code doublestar}):
 * <ul>
 * <li>{@code *} any run of characters except {@code /}; {@code **} any run including {@code /};
 * {@code **}{@code /} at a segment's start also matches no directory at all ({@code **}{@code /app}
 * matches {@code app} and {@code a/b/app});</li>
 * <li>{@code ?} one character except {@code /};</li>
 * <li>{@code {a,b,c}} one of the alternatives (each a glob without braces);</li>
 * <li>everything else matches itself.</li>
 * </ul>
 * A tag has no {@code /}, so {@code *} and {@code **} match the same tags.
 */
public final class Glob {

    /** Longest pattern accepted. */
    public static final int MAX_LENGTH = 256;

    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException for an empty, too long or malformed pattern (with the reason) */
    public static Glob parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern longer than " + MAX_LENGTH + " characters");
        }
        StringBuilder out = new StringBuilder(pattern.length() * 2);
        boolean inBraces = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("pattern contains a control character");
            }
            switch (c) {
                case '*' -> {
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        boolean segmentStart = i == 0 || pattern.charAt(i - 1) == '/' || pattern.charAt(i - 1) == '{'
                                || pattern.charAt(i - 1) == ',';
                        i++;
                        while (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                            i++;
                        }
                        if (segmentStart && i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                            out.append("(?:.*/)?");
                            i++;
                        } else {
                            out.append(".*");
                        }
                    } else {
                        out.append("[^/]*");
                    }
                }
                case '?' -> out.append("[^/]");
                case '{' -> {
                    if (inBraces) {
                        throw new IllegalArgumentException("nested '{' in pattern");
                    }
                    inBraces = true;
                    out.append("(?:");
                }
                case '}' -> {
                    if (!inBraces) {
                        throw new IllegalArgumentException("'}' without '{' in pattern");
                    }
                    inBraces = false;
                    out.append(')');
                }
                case ',' -> out.append(inBraces ? "|" : ",");
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inBraces) {
            throw new IllegalArgumentException("'{' without '}' in pattern");
        }
        return new Glob(pattern, Pattern.compile(out.toString()));
    }

    public boolean matches(String value) {
        return regex.matcher(value).matches();
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
