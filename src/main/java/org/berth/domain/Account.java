package org.berth.domain;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A user account. The password is held only as a one-way hash.
 *
 * @param credentialVersion raised whenever the password changes or the account is disabled:
 *                          refresh tokens, API tokens and remembered Basic logins carry the version
 *                          they were made at and stop working once it moved on
 */
public record Account(String username, String passwordHash, boolean sysadmin, boolean disabled, Instant createdAt,
                      long credentialVersion) {

    /** A new account, at credential version 0. */
    public Account(String username, String passwordHash, boolean sysadmin, boolean disabled, Instant createdAt) {
        this(username, passwordHash, sysadmin, disabled, createdAt, 0);
    }

    public static final String ADMIN = "admin";

    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,254}");

    /** Usernames: letters, digits and {@code . _ @ -}; never {@code $} (reserved for robots). */
    public static boolean isValidUsername(String username) {
        return username != null && GRAMMAR.matcher(username).matches();
    }
}
