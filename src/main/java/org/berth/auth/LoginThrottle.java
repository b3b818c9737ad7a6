package org.berth.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Slows down guessing per account and per kind of credential: after {@link #MAX_FAILURES} failed
 * logins of one kind within {@link #WINDOW}, further attempts of that kind for that account are
 * refused for a delay that doubles with each further failure (30 s, 1 min, 2 min ... at most 1 h).
 * Only a success of the same kind clears the record: a correct personal access token says nothing
 * about the password, so it does not reset the password's count.
 *
 * <p>The record is bounded: entries whose failures left the window and whose lock ran out are
 * dropped, and at {@link #MAX_ENTRIES} the unlocked entries whose last failure is oldest go first,
 * so names that do not exist cannot grow it without limit nor push out an account that is locked.
 */
@ApplicationScoped
public class LoginThrottle {

    /** What was tried: each kind keeps its own count. */
    public enum Credential { PASSWORD, PERSONAL_TOKEN, ROBOT_SECRET }

    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    static final Duration MAX_DELAY = Duration.ofHours(1);
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;
    private volatile Instant lastSweep = Instant.EPOCH;

    public LoginThrottle() {
        this(Clock.systemUTC(), MAX_ENTRIES);
    }

    public LoginThrottle(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** Seconds the account must still wait before trying this kind of credential, or 0 when it may try. */
    public long secondsLocked(Credential kind, String account) {
        Failures f = failures.get(key(kind, account));
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            Instant now = clock.instant();
            return f.lockedUntil == null || !now.isBefore(f.lockedUntil) ? 0
                    : Math.max(1, Duration.between(now, f.lockedUntil).toSeconds());
        }
    }

    public void failed(Credential kind, String account) {
        String key = key(kind, account);
        Instant at = clock.instant();
        if (at.isAfter(lastSweep.plus(WINDOW))) {
            lastSweep = at;
            sweep(at);
        }
        if (!failures.containsKey(key) && failures.size() >= maxEntries) {
            makeRoom();
        }
        Failures f = failures.computeIfAbsent(key, k -> new Failures());
        synchronized (f) {
            Instant now = clock.instant();
            f.times.addLast(now);
            f.forget(now);
            if (f.times.size() >= MAX_FAILURES) {
                int beyond = f.times.size() - MAX_FAILURES;
                Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(beyond, 7));
                f.lockedUntil = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
            }
        }
    }

    /** A correct credential of this kind: its failures are forgiven (no other kind's). */
    public void succeeded(Credential kind, String account) {
        failures.remove(key(kind, account));
    }

    /** How many accounts and kinds are on record (bounded by the maximum given at construction). */
    public int size() {
        return failures.size();
    }

    /** Drops what expired; if that is not enough, the unlocked entries with the oldest last failure. */
    private void sweep(Instant now) {
        failures.entrySet().removeIf(e -> e.getValue().expired(now));
    }

    private synchronized void makeRoom() {
        Instant now = clock.instant();
        sweep(now);
        int excess = failures.size() - maxEntries + 1;
        if (excess > 0) {
            failures.entrySet().stream()
                    .filter(e -> !e.getValue().locked(now))
                    .sorted(Comparator.comparing(e -> e.getValue().last()))
                    .limit(excess)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(failures::remove);
        }
    }

    private static String key(Credential kind, String account) {
        return kind.name() + ':' + account.toLowerCase(Locale.ROOT);
    }

    private static final class Failures {
        final Deque<Instant> times = new ArrayDeque<>();
        Instant lockedUntil;

        /** Failures older than the window no longer count. */
        void forget(Instant now) {
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(WINDOW))) {
                times.removeFirst();
            }
        }

        synchronized boolean locked(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        synchronized boolean expired(Instant now) {
            forget(now);
            return times.isEmpty() && !locked(now);
        }

        synchronized Instant last() {
            return times.isEmpty() ? Instant.MIN : times.peekLast();
        }
    }
}
