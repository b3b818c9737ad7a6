package org.berth.domain.webhook;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: exponential backoff with full jitter (the wait after
 * attempt n is uniform in [0, ceiling(n)]), so receivers that come back are not hit by every
 * sender at once (the retry storms of goharbor/harbor#12298). The ceilings, in units of
 * {@code base} (30 s by default), are 2, 10, 60, 120, 360, 720, 1440: 1 min, 5 min, 30 min,
 * 1 h, 3 h, 6 h, 12 h; eight attempts then spread over up to about a day, after which the
 * delivery is dead.
 *
 * @param base        the unit of the schedule; shortened by {@code berth.webhook.backoff-base} for tests
 * @param maxAttempts attempts before a delivery is dead (8 by default)
 */
public record Backoff(Duration base, int maxAttempts) {

    /** Ceiling of the wait after attempt n (1-based), in units of base; the last repeats. */
    static final List<Integer> CEILINGS = List.of(2, 10, 60, 120, 360, 720, 1440);

    public static final Duration DEFAULT_BASE = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    public Backoff {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("the backoff base must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }

    /** The longest wait after attempt {@code attempt} (1 for the first). */
    public Duration ceiling(int attempt) {
        int n = Math.max(1, attempt);
        int units = CEILINGS.get(Math.min(n, CEILINGS.size()) - 1);
        return base.multipliedBy(units);
    }

    /**
     * The wait after the failed attempt {@code attempt}.
     *
     * @param random uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble}
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        double r = random.getAsDouble();
        if (r < 0 || r >= 1) {
            throw new IllegalArgumentException("random must be in [0, 1)");
        }
        long ceilingMillis = ceiling(attempt).toMillis();
        return Duration.ofMillis((long) Math.floor(ceilingMillis * r));
    }

    /** Whether a delivery that failed its attempt {@code attempt} is dead. */
    public boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }
}
