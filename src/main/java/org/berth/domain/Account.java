package org.berth.domain;

import java.time.Instant;
import java.util.regex.Pattern;

/** A user account. The password is held only as a one-way hash. */
public record Account(String username, String passwordHash, boolean sysadmin, boolean disabled, Instant createdAt) {

    public static final String ADMIN = "admin";

    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,254}");

    /** Usernames: letters, digits and {@code . _ @ -}; never {@code $} (reserved for robots). */
    public static boolean isValidUsername(String username) {
        return username != null && GRAMMAR.matcher(username).matches();
    }
}
