package org.berth.application.proxy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.berth.remote.RemoteFailure;

/**
 * What a test of a registry endpoint found.
 *
 * @param duration how long the test took
 * @param failure  why it failed; empty when it succeeded
 * @param message  the client's short account of the failure (never credentials); empty on success
 */
public record PingResult(Duration duration, Optional<RemoteFailure.Reason> failure, Optional<String> message) {

    public PingResult {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(message, "message");
    }

    static PingResult ok(Duration duration) {
        return new PingResult(duration, Optional.empty(), Optional.empty());
    }

    static PingResult failed(Duration duration, RemoteFailure failure) {
        return new PingResult(duration, Optional.of(failure.reason()), Optional.ofNullable(failure.getMessage()));
    }

    public boolean ok() {
        return failure.isEmpty();
    }
}
