package org.berth.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A personal access token: a named secret a user can give to a tool instead of the password,
 * with an expiry and a subset of the user's rights ({@code actions}).
 */
public record PersonalToken(long id, String username, String name, String secretHash, Set<Action> actions,
                            Instant expiresAt, boolean revoked, Instant createdAt) {

    /** Every token secret starts with this, so a password field can tell a token from a password. */
    public static final String PREFIX = "berth_pat_";

    public boolean usableAt(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt));
    }
}
