package org.berth.application;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.auth.SecretHasher;
import org.berth.domain.AccountStore;
import org.berth.domain.Action;
import org.berth.domain.PersonalToken;
import org.berth.domain.PersonalTokenStore;
import org.berth.domain.RegistryException;

/** A user's personal access tokens: created with the token shown once, listed, revoked. */
@ApplicationScoped
@Transactional
public class PersonalTokenService {

    /** Stands in for the hash until the token string, which embeds the row id, is known. */
    private static final String PENDING = "pending";

    /** Live tokens an account may hold at once: every list has a cap. */
    static final int MAX_LIVE_TOKENS = 100;

    @Inject
    PersonalTokenStore tokens;

    @Inject
    AccountStore accounts;

    /**
     * Creates a token {@code berth_pat_<id>_<random>}; only a SHA-256 of the whole string is stored.
     *
     * @param expiresAt when it stops working; null for never
     */
    public CreatedSecret<PersonalToken> create(String username, String name, Set<Action> actions, Instant expiresAt) {
        existingAccount(username);
        if (!PersonalToken.isValidName(name)) {
            throw new RegistryException.InvalidRequest(
                    "invalid token name: use up to 64 letters, digits and . _ -, starting with a letter or digit");
        }
        Instant now = Instant.now();
        Grants.check(actions, expiresAt, now);
        if (tokens.list(username).stream().filter(t -> !t.revoked()).count() >= MAX_LIVE_TOKENS) {
            throw new RegistryException.Conflict("you have " + MAX_LIVE_TOKENS + " live personal access tokens:"
                    + " revoke one before you create another", name);
        }
        PersonalToken row = new PersonalToken(0, username, name, PENDING, Set.copyOf(actions), expiresAt, false, now);
        long id = tokens.create(row).orElseThrow(() -> new RegistryException.Conflict(
                "you already have a live token named '" + name + "': revoke it first, or choose another name", name));
        String token = SecretGenerator.personalToken(id);
        String hash = SecretHasher.hash(token);
        tokens.setSecretHash(id, hash);
        return new CreatedSecret<>(new PersonalToken(id, username, name, hash, row.actions(), expiresAt, false, now), token);
    }

    public List<PersonalToken> list(String username) {
        existingAccount(username);
        return tokens.list(username);
    }

    public void revoke(String username, String name) {
        if (!tokens.revoke(username, name)) {
            throw new RegistryException.NotFound("you have no token named '" + name + "'", name);
        }
    }

    private void existingAccount(String username) {
        if (username == null || accounts.find(username).isEmpty()) {
            throw new RegistryException.NotFound("user '" + username + "' not found", username);
        }
    }
}
