package org.berth.application.proxy;

import java.time.Duration;
import java.util.Optional;

import org.berth.remote.RemoteFailure;

/**
 * Why an upstream registry gave nothing to serve: it failed, or it was not asked at all (its
 * circuit breaker is open, or its {@code Retry-After} has not passed). {@link #reason()} is the
 * label of {@code berth_proxy_stale_total{reason}}.
 */
public final class UpstreamFailure extends RuntimeException {

    /** The reason of an upstream not asked because its circuit breaker is open. */
    public static final String CIRCUIT_OPEN = "circuit_open";

    private final String reason;
    private final Optional<Duration> retryAfter;
    private final boolean notFound;

    UpstreamFailure(String reason, String message, Optional<Duration> retryAfter, boolean notFound) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.notFound = notFound;
    }

    static UpstreamFailure of(String registry, RemoteFailure failure) {
        return new UpstreamFailure(label(failure.reason()), "upstream registry '" + registry + "': " + failure.getMessage(),
                failure.retryAfter(), failure.reason() == RemoteFailure.Reason.NOT_FOUND);
    }

    /** The metric label of a remote failure's reason: {@code timeout}, {@code server_error}, ... */
    static String label(RemoteFailure.Reason reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    public String reason() {
        return reason;
    }

    /** How long the upstream asked not to be asked (429), or its breaker stays open. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The upstream answered that it has no such manifest or blob. */
    public boolean notFound() {
        return notFound;
    }

    /** Whether the client may try again later (rather than the thing not existing). */
    public boolean rateLimited() {
        return "rate_limited".equals(reason);
    }
}
