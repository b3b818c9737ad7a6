package org.berth.domain.proxy;

import java.time.Instant;
import java.util.Optional;

/**
 * Until when an upstream registry is not to be asked, shared by every node: after it answered 429
 * (its {@code Retry-After}) or while its circuit breaker is open.
 */
public interface UpstreamBlocks {

    /** A registry's block: until when, and why ({@code rate_limited} or {@code circuit_open}). */
    record Block(String registry, Instant until, String reason, String lastError) {
    }

    Optional<Block> find(String registry);

    /** Records the block, replacing any earlier one. */
    void block(Block block);

    /** Ends the registry's block (it answered again). */
    void clear(String registry);
}
