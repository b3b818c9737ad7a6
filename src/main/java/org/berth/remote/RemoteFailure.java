package org.berth.remote;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What went wrong talking to a remote registry, sorted into the few reasons a caller acts on
 * (serve stale, open a circuit, honour a 429, report a bad password). The message is short,
 * says what the upstream answered, and never contains credentials or tokens.
 */
public final class RemoteFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the request failed. */
    public enum Reason {
        /** No answer within the connect or response timeout. */
        TIMEOUT,
        /** The connection was refused, reset, or TLS failed: no HTTP answer at all. */
        UNREACHABLE,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** A 429 answer; see {@link RemoteFailure#retryAfter()}. */
        RATE_LIMITED,
        /** 401 or 403 after signing in (or with nothing to sign in with). */
        AUTH,
        /** 404: the repository, manifest, tag or blob is not there. */
        NOT_FOUND,
        /** An answer Berth cannot use: bad JSON, an oversize manifest, a missing size or digest, a wrong digest. */
        INVALID
    }

    private final Reason reason;
    private final int status;
    private final transient Duration retryAfter;

    public RemoteFailure(Reason reason, int status, String message) {
        this(reason, status, message, null, null);
    }

    /** A failure with an optional Retry-After, as the cache's gate reports one it decided itself. */
    public RemoteFailure(Reason reason, int status, String message, Optional<Duration> retryAfter) {
        this(reason, status, message, retryAfter.orElse(null), null);
    }

    /**
     * @param status     the HTTP status, 0 when there was no answer
     * @param retryAfter a 429's Retry-After, or null
     * @param cause      the I/O exception behind it, or null
     */
    public RemoteFailure(Reason reason, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status the upstream answered with; 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** How long a 429 asked to wait (its {@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
