package org.berth.domain.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    // The pattern compiles to a program for a Pike VM, run over all its threads at once: matching
    // takes time linear in the value times the program, whatever the pattern. A backtracking
    // regular expression took minutes on "a*a*a*a*a*a*a*a*a*a*b" and 60 characters (a thread held
    // on every push by one project admin's immutable-tag rule).
    private static final int CHAR = 0;      // the character arg, then next
    private static final int NOT_SLASH = 1; // any character but '/', then next
    private static final int ANY = 2;       // any character, then next
    private static final int SPLIT = 3;     // both next and arg
    private static final int JUMP = 4;      // to arg
    private static final int MATCH = 5;

    private final String pattern;
    private final int[] ops;
    private final int[] args;

    private Glob(String pattern, int[] ops, int[] args) {
        this.pattern = pattern;
        this.ops = ops;
        this.args = args;
    }

    /** @throws IllegalArgumentException for an empty, too long or malformed pattern (with the reason) */
    public static Glob parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern longer than " + MAX_LENGTH + " characters");
        }
        Program program = new Program();
        int braceSplit = -1;             // the SPLIT before the current alternative
        List<Integer> braceExits = new ArrayList<>(); // the JUMPs that end the alternatives
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("pattern contains a control character");
            }
            switch (c) {
                case '*' -> {
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        boolean segmentStart = i == 0 || pattern.charAt(i - 1) == '/' || pattern.charAt(i - 1) == '{'
                                || pattern.charAt(i - 1) == ',' && braceSplit >= 0;
                        i++;
                        while (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                            i++;
                        }
                        if (segmentStart && i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                            // (?:.*/)? : no directory at all, or any run ending in '/'
                            int skip = program.emit(SPLIT, -1);
                            program.star(ANY);
                            program.emit(CHAR, '/');
                            program.patch(skip, program.size());
                            i++;
                        } else {
                            program.star(ANY);
                        }
                    } else {
                        program.star(NOT_SLASH);
                    }
                }
                case '?' -> program.emit(NOT_SLASH, 0);
                case '{' -> {
                    if (braceSplit >= 0) {
                        throw new IllegalArgumentException("nested '{' in pattern");
                    }
                    braceSplit = program.emit(SPLIT, -1);
                }
                case ',' -> {
                    if (braceSplit < 0) {
                        program.emit(CHAR, ',');
                    } else {
                        braceExits.add(program.emit(JUMP, -1));
                        program.patch(braceSplit, program.size());
                        braceSplit = program.emit(SPLIT, -1);
                    }
                }
                case '}' -> {
                    if (braceSplit < 0) {
                        throw new IllegalArgumentException("'}' without '{' in pattern");
                    }
                    braceExits.add(program.emit(JUMP, -1));
                    // the last SPLIT's other branch: no alternative left, a character that never comes
                    program.patch(braceSplit, program.emit(CHAR, -1));
                    for (int exit : braceExits) {
                        program.patch(exit, program.size());
                    }
                    braceExits.clear();
                    braceSplit = -1;
                }
                default -> program.emit(CHAR, c);
            }
        }
        if (braceSplit >= 0) {
            throw new IllegalArgumentException("'{' without '}' in pattern");
        }
        program.emit(MATCH, 0);
        return new Glob(pattern, program.ops.stream().mapToInt(Integer::intValue).toArray(),
                program.args.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Whether the whole value matches. */
    public boolean matches(String value) {
        int[] current = new int[ops.length];
        int[] next = new int[ops.length];
        boolean[] seen = new boolean[ops.length];
        int count = add(current, 0, seen, 0);
        for (int at = 0; at < value.length() && count > 0; at++) {
            char c = value.charAt(at);
            Arrays.fill(seen, false);
            int nextCount = 0;
            for (int t = 0; t < count; t++) {
                int pc = current[t];
                boolean takes = switch (ops[pc]) {
                    case CHAR -> args[pc] == c;
                    case NOT_SLASH -> c != '/';
                    case ANY -> true;
                    default -> false;
                };
                if (takes) {
                    nextCount = add(next, nextCount, seen, pc + 1);
                }
            }
            int[] swap = current;
            current = next;
            next = swap;
            count = nextCount;
        }
        for (int t = 0; t < count; t++) {
            if (ops[current[t]] == MATCH) {
                return true;
            }
        }
        return false;
    }

    /** Adds the thread at {@code pc} to the list, following JUMPs and SPLITs; returns the new count. */
    private int add(int[] list, int count, boolean[] seen, int pc) {
        if (seen[pc]) {
            return count;
        }
        seen[pc] = true;
        return switch (ops[pc]) {
            case JUMP -> add(list, count, seen, args[pc]);
            case SPLIT -> add(list, add(list, count, seen, pc + 1), seen, args[pc]);
            default -> {
                list[count] = pc;
                yield count + 1;
            }
        };
    }

    /** The program being compiled. */
    private static final class Program {
        final List<Integer> ops = new ArrayList<>();
        final List<Integer> args = new ArrayList<>();

        int emit(int op, int arg) {
            ops.add(op);
            args.add(arg);
            return ops.size() - 1;
        }

        void patch(int at, int target) {
            args.set(at, target);
        }

        int size() {
            return ops.size();
        }

        /** Any run of the characters {@code op} takes: a loop around it, which may run no time. */
        void star(int op) {
            int loop = emit(SPLIT, -1);
            emit(op, 0);
            emit(JUMP, loop);
            patch(loop, size());
        }
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
