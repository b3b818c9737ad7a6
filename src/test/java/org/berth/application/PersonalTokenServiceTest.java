package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;

import org.berth.auth.SecretHasher;
import org.berth.domain.Account;
import org.berth.domain.Action;
import org.berth.domain.PersonalToken;
import org.berth.domain.RegistryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PersonalTokenServiceTest {

    private final InMemoryStores.Tokens tokens = new InMemoryStores.Tokens();
    private final InMemoryStores.Accounts accounts = new InMemoryStores.Accounts();
    private final PersonalTokenService service = new PersonalTokenService();

    @BeforeEach
    void wire() {
        service.tokens = tokens;
        service.accounts = accounts;
        accounts.create(new Account("alice", "h", false, false, Instant.EPOCH));
    }

    @Test
    void tokenEmbedsItsIdAndOnlyItsHashIsStored() {
        CreatedSecret<PersonalToken> created = service.create("alice", "laptop", Set.of(Action.PULL), null);
        long id = created.created().id();
        assertTrue(created.secret().startsWith("berth_pat_" + id + "_"), created.secret());
        PersonalToken stored = tokens.find(id).orElseThrow();
        assertEquals(SecretHasher.hash(created.secret()), stored.secretHash());
        assertEquals(Set.of(Action.PULL), stored.actions());
        assertTrue(stored.usableAt(Instant.now()));
    }

    @Test
    void namesAreUniqueAmongAUsersLiveTokens() {
        service.create("alice", "ci", Set.of(Action.PULL), null);
        assertThrows(RegistryException.Conflict.class, () -> service.create("alice", "ci", Set.of(Action.PULL), null));
    }

    @Test
    void aRevokedTokensNameCanBeReused() {
        long old = service.create("alice", "ci", Set.of(Action.PULL), null).created().id();
        service.revoke("alice", "ci");
        long renewed = service.create("alice", "ci", Set.of(Action.PUSH), null).created().id();
        assertTrue(tokens.find(old).orElseThrow().revoked(), "the revoked row stays, revoked");
        assertFalse(tokens.find(renewed).orElseThrow().revoked());
        service.revoke("alice", "ci");
        assertTrue(tokens.find(renewed).orElseThrow().revoked());
        service.revoke("alice", "ci"); // again: nothing left to revoke, not an error
    }

    @Test
    void refuses() {
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("alice", "a b", Set.of(Action.PULL), null));
        assertThrows(RegistryException.InvalidRequest.class, () -> service.create("alice", "x", Set.of(), null));
        assertThrows(RegistryException.NotFound.class, () -> service.create("nobody", "x", Set.of(Action.PULL), null));
        assertThrows(RegistryException.NotFound.class, () -> service.revoke("alice", "never"));
    }

    @Test
    void anAccountHoldsAtMostAHundredLiveTokensAndARevokedOneFreesASlot() {
        for (int i = 0; i < PersonalTokenService.MAX_LIVE_TOKENS; i++) {
            service.create("alice", "t" + i, Set.of(Action.PULL), null);
        }
        assertThrows(RegistryException.Conflict.class, () -> service.create("alice", "one-more", Set.of(Action.PULL), null));
        service.revoke("alice", "t0");
        service.create("alice", "one-more", Set.of(Action.PULL), null);
    }
}
