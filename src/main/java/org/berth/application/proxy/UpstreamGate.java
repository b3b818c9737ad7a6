package org.berth.application.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.proxy.UpstreamBlocks;
import org.berth.remote.RemoteFailure;

/**
 * Whether an upstream registry may be asked now, per registry endpoint (issue 20, "serve stale"):
 * <ul>
 *   <li>a 429 blocks it until its {@code Retry-After} has passed (60 s when it sends none, at most
 *       an hour): no request at all meanwhile;</li>
 *   <li>a circuit breaker: after {@value #FAILURES_TO_OPEN} failures in a row to answer (timeout,
 *       refused connection, 5xx) it is not asked for {@link #OPEN_FOR}; then one request tries
 *       (half open), and its answer closes the breaker or opens it again.</li>
 * </ul>
 * A block is written to {@code upstream_block}, and every node reads that row at most once a
 * second, so a breaker opened or a 429 received on one node holds on all. An upstream that
 * answers, even 401 or 404, is up.
 */
@ApplicationScoped
public class UpstreamGate {

    private static final Logger LOG = Logger.getLogger(UpstreamGate.class.getName());

    static final int FAILURES_TO_OPEN = 3;
    static final Duration OPEN_FOR = Duration.ofSeconds(30);
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final Duration SHARED_KEPT = Duration.ofSeconds(1);
    static final String RATE_LIMITED = "rate_limited";

    @Inject
    UpstreamBlocks blocks;

    @Inject
    ProxyMetrics metrics;

    Clock clock = Clock.systemUTC();

    private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();

    /** What the endpoint's status shows. */
    public record Status(String state, Optional<Instant> until, Optional<String> lastError) {
    }

    private static final class State {
        int failures;
        Instant blockedUntil;
        String reason;
        String lastError;
        boolean probing;
        Instant sharedReadAt = Instant.MIN;
    }

    /**
     * Lets a request to the registry go, or refuses it without asking the upstream.
     *
     * @throws UpstreamFailure {@code rate_limited} or {@code circuit_open}, with when to try again
     */
    public void admit(String registry) {
        State s = state(registry);
        Instant now = clock.instant();
        readShared(registry, s, now);
        synchronized (s) {
            if (s.blockedUntil == null) {
                return;
            }
            if (now.isBefore(s.blockedUntil)) {
                throw refusal(registry, s, now);
            }
            if (UpstreamFailure.CIRCUIT_OPEN.equals(s.reason)) {
                if (s.probing) {
                    throw refusal(registry, s, now); // one request tries the upstream; the others wait for its answer
                }
                s.probing = true;
                return;
            }
            s.blockedUntil = null; // a Retry-After that passed
            s.reason = null;
        }
    }

    /** The upstream answered (any status that is not a failure to serve). */
    public void answered(String registry) {
        State s = state(registry);
        boolean wasBlocked;
        synchronized (s) {
            wasBlocked = s.blockedUntil != null;
            s.failures = 0;
            s.probing = false;
            s.blockedUntil = null;
            s.reason = null;
        }
        if (wasBlocked) {
            LOG.info(() -> "upstream registry '" + registry + "' answers again");
            metrics.circuit(registry, false);
            blocks.clear(registry);
        }
    }

    /** The upstream failed to serve a request. */
    public void failed(String registry, RemoteFailure failure) {
        State s = state(registry);
        Instant now = clock.instant();
        UpstreamBlocks.Block block = null;
        synchronized (s) {
            s.lastError = failure.getMessage();
            switch (failure.reason()) {
                case RATE_LIMITED -> {
                    Duration wait = failure.retryAfter().filter(d -> !d.isNegative()).orElse(DEFAULT_RETRY_AFTER);
                    wait = wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
                    s.probing = false;
                    block = block(registry, s, now.plus(wait), RATE_LIMITED);
                }
                case TIMEOUT, UNREACHABLE, SERVER_ERROR -> {
                    s.failures++;
                    if (s.probing || s.failures >= FAILURES_TO_OPEN) {
                        s.probing = false;
                        block = block(registry, s, now.plus(OPEN_FOR), UpstreamFailure.CIRCUIT_OPEN);
                    }
                }
                default -> {
                    s.failures = 0; // it answered
                    s.probing = false;
                }
            }
        }
        if (block != null) {
            UpstreamBlocks.Block logged = block;
            LOG.warning(() -> "upstream registry '" + registry + "' is not asked until " + logged.until() + " ("
                    + logged.reason() + "): " + failure.getMessage());
            metrics.circuit(registry, true);
            blocks.block(block);
        }
    }

    public Status status(String registry) {
        State s = state(registry);
        Instant now = clock.instant();
        readShared(registry, s, now);
        synchronized (s) {
            boolean blocked = s.blockedUntil != null && now.isBefore(s.blockedUntil);
            return new Status(blocked ? s.reason : "ok", blocked ? Optional.of(s.blockedUntil) : Optional.empty(),
                    Optional.ofNullable(s.lastError));
        }
    }

    private static UpstreamBlocks.Block block(String registry, State s, Instant until, String reason) {
        s.blockedUntil = until;
        s.reason = reason;
        return new UpstreamBlocks.Block(registry, until, reason, s.lastError);
    }

    /** Takes a block another node recorded, at most once a second. */
    private void readShared(String registry, State s, Instant now) {
        synchronized (s) {
            if (now.isBefore(s.sharedReadAt.plus(SHARED_KEPT))) {
                return;
            }
            s.sharedReadAt = now;
        }
        Optional<UpstreamBlocks.Block> shared = blocks.find(registry);
        synchronized (s) {
            shared.filter(b -> now.isBefore(b.until()))
                    .filter(b -> s.blockedUntil == null || b.until().isAfter(s.blockedUntil))
                    .ifPresent(b -> {
                        s.blockedUntil = b.until();
                        s.reason = b.reason();
                        s.lastError = b.lastError();
                    });
        }
    }

    private UpstreamFailure refusal(String registry, State s, Instant now) {
        Duration left = Duration.between(now, s.blockedUntil);
        long seconds = Math.max(1, left.toSeconds() + (left.toMillisPart() > 0 ? 1 : 0));
        String why = RATE_LIMITED.equals(s.reason)
                ? "answered 429 Too Many Requests; Berth asks it again in " + seconds + " s"
                : "failed " + FAILURES_TO_OPEN + " times in a row (" + s.lastError + "); Berth asks it again in " + seconds + " s";
        return new UpstreamFailure(s.reason, "upstream registry '" + registry + "' " + why,
                Optional.of(Duration.ofSeconds(seconds)), false);
    }

    private State state(String registry) {
        return states.computeIfAbsent(registry, r -> new State());
    }
}
