package org.berth.domain;

import java.util.List;
import java.util.Optional;

/** Personal access tokens of users. */
public interface PersonalTokenStore {

    Optional<PersonalToken> find(long id);

    /**
     * The user's tokens in name order: every live one, then the most recently revoked, at most
     * {@link #LIST_LIMIT} in all (revoked rows stay for the record; the list must not grow without end).
     */
    List<PersonalToken> list(String username);

    int LIST_LIMIT = 200;

    /**
     * Stores a new token.
     *
     * @return its id, or empty when the user already has a live token of that name (a revoked
     *         token's name may be used again; the revoked one stays, revoked)
     */
    Optional<Long> create(PersonalToken token);

    /**
     * Sets the hash of a new token's secret. The secret embeds the id {@link #create} returned
     * ({@code berth_pat_<id>_...}), so it can only be hashed once the row exists.
     */
    void setSecretHash(long id, String secretHash);

    /** Revokes the user's live token of that name. @return false when the user has no token of that name at all */
    boolean revoke(String username, String name);
}
