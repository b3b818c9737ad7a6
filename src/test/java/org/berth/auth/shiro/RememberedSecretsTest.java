package org.berth.auth.shiro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import org.berth.auth.Access;
import org.berth.auth.Identity;
import org.berth.auth.token.TokenService;
import org.berth.domain.Action;
import org.berth.support.ManualClock;
import org.junit.jupiter.api.Test;

/** The cache of checked secrets, as it remembers verified access tokens until their expiry. */
class RememberedSecretsTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9mLWFsaWNl";

    private final ManualClock clock = new ManualClock(T0);

    private static TokenService.Verified verified(Instant expiresAt) {
        Identity alice = new Identity(Identity.Kind.USER, "alice", false, null, EnumSet.allOf(Action.class), null, 1);
        return new TokenService.Verified(alice, List.of(Access.repository("library/app", EnumSet.of(Action.PULL))), expiresAt);
    }

    @Test
    void aVerifiedTokenIsRememberedUntilItsExpiry() {
        RememberedSecrets<TokenService.Verified> cache = new RememberedSecrets<>(10, clock);
        TokenService.Verified v = verified(T0.plusSeconds(300));
        cache.put(TOKEN, v, v.expiresAt());

        assertSame(v, cache.get(TOKEN).orElseThrow());
        clock.set(T0.plusSeconds(299));
        assertSame(v, cache.get(TOKEN).orElseThrow());
        clock.set(T0.plusSeconds(300)); // exp itself: TokenService refuses it too
        assertTrue(cache.get(TOKEN).isEmpty());
        assertEquals(0, cache.size(), "an expired entry is dropped when it is met");
    }

    @Test
    void aTokenAlreadyExpiredIsNotRemembered() {
        RememberedSecrets<TokenService.Verified> cache = new RememberedSecrets<>(10, clock);
        cache.put(TOKEN, verified(T0), T0);
        cache.put(TOKEN + "x", verified(null), null);
        assertEquals(0, cache.size());
    }

    @Test
    void aTamperedTokenNeverHitsTheCache() {
        RememberedSecrets<TokenService.Verified> cache = new RememberedSecrets<>(10, clock);
        cache.put(TOKEN, verified(T0.plusSeconds(300)), T0.plusSeconds(300));

        // one character changed in the signature, in the claims, in the header; cut; extended
        char last = TOKEN.charAt(TOKEN.length() - 1);
        assertFalse(cache.get(TOKEN.substring(0, TOKEN.length() - 1) + (char) (last + 1)).isPresent());
        assertFalse(cache.get(TOKEN.replace("eyJzdWIiOiJhbGljZSJ9", "eyJzdWIiOiJhZG1pbiJ9")).isPresent());
        assertFalse(cache.get("x" + TOKEN.substring(1)).isPresent());
        assertFalse(cache.get(TOKEN.substring(0, TOKEN.lastIndexOf('.'))).isPresent());
        assertFalse(cache.get(TOKEN + "=").isPresent());
        assertTrue(cache.get(TOKEN).isPresent());
    }

    @Test
    void theSizeIsBoundedExpiredEntriesGoFirstThenTheSoonestToExpire() {
        RememberedSecrets<TokenService.Verified> cache = new RememberedSecrets<>(3, clock);
        cache.put("a", verified(T0.plusSeconds(10)), T0.plusSeconds(10));
        cache.put("b", verified(T0.plusSeconds(300)), T0.plusSeconds(300));
        cache.put("c", verified(T0.plusSeconds(200)), T0.plusSeconds(200));

        clock.set(T0.plusSeconds(20)); // "a" has expired: it makes the room
        cache.put("d", verified(T0.plusSeconds(400)), T0.plusSeconds(400));
        assertEquals(3, cache.size());
        assertTrue(cache.get("b").isPresent() && cache.get("c").isPresent() && cache.get("d").isPresent());

        cache.put("e", verified(T0.plusSeconds(500)), T0.plusSeconds(500)); // none expired: "c" expires soonest
        assertEquals(3, cache.size());
        assertTrue(cache.get("c").isEmpty());
        assertTrue(cache.get("b").isPresent() && cache.get("d").isPresent() && cache.get("e").isPresent());

        for (int i = 0; i < 100; i++) {
            cache.put("t" + i, verified(T0.plus(Duration.ofSeconds(1000 + i))), T0.plus(Duration.ofSeconds(1000 + i)));
        }
        assertEquals(3, cache.size());
    }

    @Test
    void theDefaultBoundIsTenThousand() {
        RememberedSecrets<TokenService.Verified> cache = new RememberedSecrets<>();
        for (int i = 0; i < RememberedSecrets.MAX_ENTRIES + 50; i++) {
            cache.put("token-" + i, verified(Instant.now().plusSeconds(300)), Instant.now().plusSeconds(300));
        }
        assertEquals(RememberedSecrets.MAX_ENTRIES, cache.size());
    }
}
