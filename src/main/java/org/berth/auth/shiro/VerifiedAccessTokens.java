package org.berth.auth.shiro;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.berth.auth.SecretHasher;
import org.berth.auth.token.TokenService;

/**
 * Access tokens whose ES256 signature and claims were verified, until the token's own {@code exp}:
 * docker sends the same token with every request of a push or pull, and the signature check was
 * over half the time of a blob HEAD (issue 15). On /v2 an access token is stateless (its rights are
 * its access claim and the bounds it carries), so remembering the result grants nothing the token
 * does not. Keyed by the SHA-256 of the whole token string: a token changed in any character
 * (header, claims or signature) has another key and is verified in full. At most {@link #MAX_ENTRIES};
 * when full, expired entries go first, then those that expire soonest.
 */
final class VerifiedAccessTokens {

    static final int MAX_ENTRIES = 10_000;

    private record Entry(TokenService.Verified verified, long expiresAtMillis) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    VerifiedAccessTokens() {
        this(MAX_ENTRIES, Clock.systemUTC());
    }

    VerifiedAccessTokens(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The remembered verification of this exact token, if it has not expired since. */
    Optional<TokenService.Verified> get(String token) {
        String key = SecretHasher.hash(token);
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (clock.millis() >= e.expiresAtMillis) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.verified());
    }

    /** Remembers a token that {@link TokenService#verifyAccess} accepted, until its expiry. */
    void put(String token, TokenService.Verified verified) {
        Instant expiresAt = verified.expiresAt();
        if (expiresAt == null || expiresAt.toEpochMilli() <= clock.millis()) {
            return;
        }
        String key = SecretHasher.hash(token);
        synchronized (this) { // puts are rare (once per token), gets stay lock-free
            if (entries.size() >= maxEntries && !entries.containsKey(key)) {
                evict();
            }
            entries.put(key, new Entry(verified, expiresAt.toEpochMilli()));
        }
    }

    int size() {
        return entries.size();
    }

    /** Drops the expired entries; when none had expired, the one that expires soonest. */
    private void evict() {
        long now = clock.millis();
        String soonest = null;
        long soonestAt = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> e = it.next();
            if (now >= e.getValue().expiresAtMillis) {
                it.remove();
            } else if (e.getValue().expiresAtMillis < soonestAt) {
                soonestAt = e.getValue().expiresAtMillis;
                soonest = e.getKey();
            }
        }
        if (entries.size() >= maxEntries && soonest != null) {
            entries.remove(soonest);
        }
    }
}
