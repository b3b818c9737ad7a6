package org.berth.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the {@link LoginThrottle} keeps its record: in the metadata database, so that every node
 * of a cluster counts the same failures and honours the same lock (issue 19). Keys are the
 * throttle's own ({@code PASSWORD:alice}), at most {@link #MAX_KEY_LENGTH} characters.
 */
public interface LoginFailureStore {

    int MAX_KEY_LENGTH = 100;

    /**
     * Failures of one account and kind of credential.
     *
     * @param count       failures since {@code windowStart}
     * @param windowStart the first failure that still counts
     * @param last        the latest failure
     * @param lockedUntil until when attempts are refused; null when they are not
     */
    record Failures(int count, Instant windowStart, Instant last, Instant lockedUntil) {

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    Optional<Failures> find(String key);

    /**
     * Replaces the record of {@code key} by what {@code change} makes of it (given empty when there
     * is none), atomically: concurrent changes of one key, on this node or another, are applied one
     * after the other and none is lost.
     */
    Failures change(String key, Function<Optional<Failures>, Failures> change);

    void remove(String key);

    /** Drops the records whose last failure is before {@code lastBefore} and that are not locked at {@code now}. */
    int forget(Instant lastBefore, Instant now);

    /** Drops up to {@code count} records not locked at {@code now}, the oldest last failure first. */
    int dropOldestUnlocked(int count, Instant now);

    int size();
}
