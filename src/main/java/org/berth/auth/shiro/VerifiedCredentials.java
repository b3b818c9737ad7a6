package org.berth.auth.shiro;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.berth.auth.Identity;

/**
 * Remembers, for one minute, credentials that were just verified, so that a script sending Basic
 * credentials with every /v2 request pays for bcrypt once a minute, not once a request. Keys are
 * SHA-256 hashes of username and password; nothing reversible is kept. A disabled account or a
 * changed password takes effect within {@link #TTL}.
 */
final class VerifiedCredentials {

    static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Identity identity, long expiresAtNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    Optional<Identity> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - e.expiresAtNanos > 0) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.identity());
    }

    void put(String key, Identity identity) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (now - it.next().expiresAtNanos > 0) {
                    it.remove();
                }
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(identity, System.nanoTime() + TTL.toNanos()));
    }
}
