package org.berth.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the once-a-second flush ({@link BackgroundFlush}: audit entries, pull counts) still
 * runs. Issue 14: an OutOfMemoryError killed the container's timer thread, nothing was written
 * for 25 s, and {@code /health} still said UP. Now the flush records each run here, and the
 * health check reports DOWN when no run has completed for {@link #STALE_AFTER}, or when the last
 * run died of an {@link Error}.
 */
@ApplicationScoped
public class FlushLiveness {

    /** Ten missed runs of a one-second timer: more than a slow database batch, far less than an outage. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(10);

    /** What the health check reports. */
    public record State(boolean alive, String reason, Instant lastRun, String lastFailure) {
    }

    private final Clock clock;
    private final Instant since;
    private volatile Instant lastRun;
    private volatile Instant lastFailureAt;
    private volatile Throwable lastFailure;

    public FlushLiveness() {
        this(Clock.systemUTC());
    }

    FlushLiveness(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    /** A run completed (each writer either wrote or logged its own failure and kept its entries). */
    public void ran() {
        lastRun = clock.instant();
    }

    /** A run, or one of its writers, failed with {@code failure}. */
    public void failed(Throwable failure) {
        lastFailure = failure;
        lastFailureAt = clock.instant();
    }

    public State state() {
        Instant now = clock.instant();
        Instant run = lastRun;
        Instant failedAt = lastFailureAt;
        Throwable failure = lastFailure;
        String failureText = failure == null ? null : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        Instant reference = run != null ? run : since;
        if (Duration.between(reference, now).compareTo(STALE_AFTER) > 0) {
            return new State(false, run == null
                    ? "the flush has not run since " + since
                    : "the flush has not run for " + Duration.between(run, now).toSeconds() + " s", run, failureText);
        }
        if (failure instanceof Error && (run == null || failedAt.isAfter(run))) {
            return new State(false, "the last flush died: " + failureText, run, failureText);
        }
        return new State(true, null, run, failureText);
    }
}
