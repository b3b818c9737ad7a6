package org.berth.infrastructure.health;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The last answer of a probe, reused for a short while: a load balancer asks for readiness every
 * second or so on every node, and each answer must not cost a request to the object store.
 */
final class CachedProbe {

    /** A check that throws when the thing it probes does not answer. */
    @FunctionalInterface
    interface Probe {
        void run() throws Exception;
    }

    private final Probe probe;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private long checkedAt;
    private Optional<String> failure;

    CachedProbe(Probe probe, Duration ttl, LongSupplier nanoTime) {
        this.probe = probe;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Empty when the probe passed within the last ttl (run again otherwise), else what failed. */
    synchronized Optional<String> failure() {
        long now = nanoTime.getAsLong();
        if (failure == null || now - checkedAt >= ttlNanos) {
            failure = run();
            checkedAt = nanoTime.getAsLong();
        }
        return failure;
    }

    private Optional<String> run() {
        try {
            probe.run();
            return Optional.empty();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of(cause.getClass().getSimpleName());
        }
    }
}
