package org.berth.remote;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to a remote registry that failed: why, the upstream's status (0 when it did not
 * answer) and, for a 429, how long to wait. The message says what the upstream answered and never
 * contains credentials or tokens.
 *
 * <p>PLACEHOLDER on branch {@code registries} (issue 20, part D): the {@code remote} branch owns
 * this type (contract section A); its version replaces this file at merge. The constructor below
 * is the one part D relies on.
 */
public final class RemoteFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason { TIMEOUT, UNREACHABLE, SERVER_ERROR, RATE_LIMITED, AUTH, NOT_FOUND, INVALID }

    private final Reason reason;
    private final int status;
    private final transient Optional<Duration> retryAfter;

    public RemoteFailure(Reason reason, int status, String message, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = status;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Reason reason() {
        return reason;
    }

    /** The upstream's HTTP status; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** A 429's Retry-After. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
