package org.berth.domain;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A personal access token: a named secret a user can give to a tool instead of the password,
 * with an expiry and a subset of the user's rights ({@code actions}).
 */
public record PersonalToken(long id, String username, String name, String secretHash, Set<Action> actions,
                            Instant expiresAt, boolean revoked, Instant createdAt) {

    /** Every token secret starts with this, so a password field can tell a token from a password. */
    public static final String PREFIX = "berth_pat_";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Token names: up to 64 letters, digits and {@code . _ -}, starting with a letter or digit. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The token string handed to the user, {@code berth_pat_<id>_<random>}: the id lets a login
     * find the row without scanning, and the whole string is what is hashed.
     */
    public static String format(long id, String random) {
        return PREFIX + id + "_" + random;
    }

    /** The id inside a token string; empty when the string is not shaped like a token. */
    public static OptionalLong idOf(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        String rest = token.substring(PREFIX.length());
        int underscore = rest.indexOf('_');
        if (underscore <= 0 || underscore > 18 || !rest.substring(0, underscore).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(rest.substring(0, underscore)));
    }

    public boolean usableAt(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt));
    }
}
