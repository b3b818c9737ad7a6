package org.berth.domain;

import java.util.List;
import java.util.Optional;

/** Personal access tokens of users. */
public interface PersonalTokenStore {

    Optional<PersonalToken> find(long id);

    List<PersonalToken> list(String username);

    /**
     * Stores a new token.
     *
     * @return its id, or empty when the user already has a token of that name
     */
    Optional<Long> create(PersonalToken token);

    /**
     * Sets the hash of a new token's secret. The secret embeds the id {@link #create} returned
     * ({@code berth_pat_<id>_...}), so it can only be hashed once the row exists.
     */
    void setSecretHash(long id, String secretHash);

    /** @return false when the user has no such token */
    boolean revoke(String username, String name);
}
