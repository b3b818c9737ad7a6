package org.berth.infrastructure.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A health check's answer with a time limit and a short memory (issue 19): the check runs on
 * another thread and a caller waits at most {@code timeout} for it (a database that stopped
 * answering, with no error, is DOWN in that time, not when TCP gives up); its answer is kept for
 * {@code keep}, so that load balancers probing every node often cost one check a second; and at
 * most one check is in flight, so a hung one does not pile threads up behind it.
 */
final class KeptCheck {

    private record Kept(HealthCheckResponse response, long atNanos) {
    }

    private final String name;
    private final Supplier<HealthCheckResponse> check;
    private final Executor executor;
    private final Duration timeout;
    private final long keepNanos;
    private final LongSupplier nanoTime;
    private volatile Kept kept;
    private CompletableFuture<HealthCheckResponse> inFlight;

    KeptCheck(String name, Supplier<HealthCheckResponse> check, Executor executor, Duration timeout, Duration keep,
              LongSupplier nanoTime) {
        this.name = name;
        this.check = check;
        this.executor = executor;
        this.timeout = timeout;
        this.keepNanos = keep.toNanos();
        this.nanoTime = nanoTime;
    }

    HealthCheckResponse answer() {
        Kept k = kept;
        if (k != null && nanoTime.getAsLong() - k.atNanos() < keepNanos) {
            return k.response();
        }
        CompletableFuture<HealthCheckResponse> running;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(check, executor);
            }
            running = inFlight;
        }
        HealthCheckResponse response;
        try {
            response = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response = down("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            response = down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = down("interrupted");
        }
        kept = new Kept(response, nanoTime.getAsLong());
        return response;
    }

    private HealthCheckResponse down(String error) {
        // the constructor, not named(): no provider lookup, so the class is tested without a server
        return new HealthCheckResponse(name, HealthCheckResponse.Status.DOWN, Optional.of(Map.of("error", error)));
    }
}
