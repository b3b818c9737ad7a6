package org.berth.auth.shiro;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.berth.auth.SecretHasher;

/**
 * What a check of a secret found, remembered until a given moment, so that the check is not paid
 * again for every request that presents the same secret: a verified access token until its own
 * {@code exp} (docker sends the same token with every request, and the ES256 check was over half
 * the time of a blob HEAD: issue 15), a verified password for a minute (bcrypt is slow by design).
 * Keyed by the SHA-256 of the whole secret: nothing reversible is kept, and a secret changed in any
 * character has another key and is checked in full. At most {@link #MAX_ENTRIES}; when full,
 * expired entries go first, then those that expire soonest.
 *
 * @param <V> what the check found
 */
final class RememberedSecrets<V> {

    static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long expiresAtMillis) {
    }

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    RememberedSecrets() {
        this(MAX_ENTRIES, Clock.systemUTC());
    }

    RememberedSecrets(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** What was found for this exact secret, unless it has expired since. */
    Optional<V> get(String secret) {
        String key = SecretHasher.hash(secret);
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (clock.millis() >= e.expiresAtMillis) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** Remembers what a check of the secret found, until {@code expiresAt} (nothing when that is null or past). */
    void put(String secret, V value, Instant expiresAt) {
        if (expiresAt == null || expiresAt.toEpochMilli() <= clock.millis()) {
            return;
        }
        String key = SecretHasher.hash(secret);
        synchronized (this) { // puts are rare (once per secret), gets stay lock-free
            if (entries.size() >= maxEntries && !entries.containsKey(key)) {
                evict();
            }
            entries.put(key, new Entry<>(value, expiresAt.toEpochMilli()));
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
        for (Iterator<Map.Entry<String, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry<V>> e = it.next();
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
