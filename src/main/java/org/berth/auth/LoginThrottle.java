package org.berth.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.auth.LoginFailureStore.Failures;
import org.berth.domain.UniqueViolations;

/**
 * Slows down guessing per account and per kind of credential: after {@link #MAX_FAILURES} failed
 * logins of one kind within {@link #WINDOW} of the first, further attempts of that kind for that
 * account are refused for a delay that doubles with each further failure (30 s, 1 min, 2 min ... at
 * most 1 h). Only a success of the same kind clears the record: a correct personal access token
 * says nothing about the password, so it does not reset the password's count.
 *
 * <p>The record lives in a {@link LoginFailureStore} (the metadata database), so that five
 * failures spread over the nodes of a cluster lock the account on all of them (issue 19). It is
 * bounded: records whose window and lock ran out are dropped, and at the maximum the unlocked
 * records whose last failure is oldest go first, so names that do not exist cannot grow it
 * without limit nor push out an account that is locked.
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

    private final LoginFailureStore store;
    private final Clock clock;
    private final int maxEntries;
    private volatile Instant lastSweep = Instant.EPOCH;

    /** For CDI's proxy only. */
    protected LoginThrottle() {
        this(null, Clock.systemUTC(), MAX_ENTRIES);
    }

    @Inject
    public LoginThrottle(LoginFailureStore store) {
        this(store, Clock.systemUTC(), MAX_ENTRIES);
    }

    public LoginThrottle(LoginFailureStore store, Clock clock, int maxEntries) {
        this.store = store;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** Seconds the account must still wait before trying this kind of credential, or 0 when it may try. */
    public long secondsLocked(Credential kind, String account) {
        Instant now = clock.instant();
        return store.find(key(kind, account))
                .filter(f -> f.lockedAt(now))
                .map(f -> Math.max(1, Duration.between(now, f.lockedUntil()).toSeconds()))
                .orElse(0L);
    }

    public void failed(Credential kind, String account) {
        String key = key(kind, account);
        Instant at = clock.instant();
        if (at.isAfter(lastSweep.plus(WINDOW))) {
            lastSweep = at;
            store.forget(at.minus(WINDOW), at);
        }
        if (store.find(key).isEmpty()) {
            int excess = store.size() - maxEntries + 1;
            if (excess > 0) {
                store.forget(at.minus(WINDOW), at);
                excess = store.size() - maxEntries + 1;
                if (excess > 0) {
                    store.dropOldestUnlocked(excess, at);
                }
            }
        }
        // two nodes creating one key's first record at once: the loser counts on the winner's
        UniqueViolations.retryOnce(() -> store.change(key, kept -> counted(kept, clock.instant())));
    }

    /** A correct credential of this kind: its failures are forgiven (no other kind's). */
    public void succeeded(Credential kind, String account) {
        store.remove(key(kind, account));
    }

    /** How many accounts and kinds are on record (bounded by the maximum given at construction). */
    public int size() {
        return store.size();
    }

    /** The record after one more failure at {@code now}. */
    static Failures counted(Optional<Failures> kept, Instant now) {
        Failures f = kept.filter(k -> k.lockedAt(now) || now.isBefore(k.windowStart().plus(WINDOW))).orElse(null);
        int count = f == null ? 1 : f.count() + 1;
        Instant windowStart = f == null ? now : f.windowStart();
        Instant lockedUntil = f == null ? null : f.lockedUntil();
        if (count >= MAX_FAILURES) {
            int beyond = count - MAX_FAILURES;
            Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(beyond, 7));
            lockedUntil = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
        }
        return new Failures(count, windowStart, now, lockedUntil);
    }

    /** {@code KIND:name}; a name too long for the store's key is replaced by its SHA-256. */
    static String key(Credential kind, String account) {
        String key = kind.name() + ':' + account.toLowerCase(Locale.ROOT);
        if (key.length() <= LoginFailureStore.MAX_KEY_LENGTH) {
            return key;
        }
        return kind.name() + ":sha256:" + SecretHasher.hash(account.toLowerCase(Locale.ROOT));
    }
}
