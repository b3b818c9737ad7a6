package org.berth.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Slows down password guessing per account: after {@link #MAX_FAILURES} failed logins within
 * {@link #WINDOW}, further attempts for that account are refused for a delay that doubles with each
 * further failure (30 s, 1 min, 2 min ... at most 1 h). A success clears the record.
 */
@ApplicationScoped
public class LoginThrottle {

    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    static final Duration MAX_DELAY = Duration.ofHours(1);

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle() {
        this(Clock.systemUTC());
    }

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds the account must still wait, or 0 when it may try. */
    public long secondsLocked(String account) {
        Failures f = failures.get(key(account));
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            Instant now = clock.instant();
            return f.lockedUntil == null || !now.isBefore(f.lockedUntil) ? 0
                    : Math.max(1, Duration.between(now, f.lockedUntil).toSeconds());
        }
    }

    public void failed(String account) {
        Failures f = failures.computeIfAbsent(key(account), k -> new Failures());
        synchronized (f) {
            Instant now = clock.instant();
            f.times.addLast(now);
            while (!f.times.isEmpty() && f.times.peekFirst().isBefore(now.minus(WINDOW))) {
                f.times.removeFirst();
            }
            if (f.times.size() >= MAX_FAILURES) {
                int beyond = f.times.size() - MAX_FAILURES;
                Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(beyond, 7));
                f.lockedUntil = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
            }
        }
    }

    public void succeeded(String account) {
        failures.remove(key(account));
    }

    private static String key(String account) {
        return account.toLowerCase(Locale.ROOT);
    }

    private static final class Failures {
        final Deque<Instant> times = new ArrayDeque<>();
        Instant lockedUntil;
    }
}
