package org.berth.application.proxy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.berth.domain.proxy.UpstreamBlocks;
import org.berth.remote.RemoteFailure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamGateTest {

    private final Map<String, UpstreamBlocks.Block> shared = new HashMap<>();
    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private UpstreamGate gate;

    /** A node of the cluster: its own gate, the shared table. */
    private UpstreamGate node() {
        UpstreamGate g = new UpstreamGate();
        g.blocks = new UpstreamBlocks() {
            @Override
            public Optional<Block> find(String registry) {
                return Optional.ofNullable(shared.get(registry));
            }

            @Override
            public void block(Block block) {
                shared.put(block.registry(), block);
            }

            @Override
            public void clear(String registry) {
                shared.remove(registry);
            }
        };
        g.metrics = new ProxyMetrics() {
            @Override
            void circuit(String registryName, boolean isOpen) {
            }
        };
        g.clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return g;
    }

    @BeforeEach
    void setUp() {
        gate = node();
    }

    private static RemoteFailure failure(RemoteFailure.Reason reason, Duration retryAfter) {
        return new RemoteFailure(reason, reason == RemoteFailure.Reason.RATE_LIMITED ? 429 : 0, "it failed",
                Optional.ofNullable(retryAfter));
    }

    @Test
    void aRetryAfterBlocksEveryRequestUntilItPassesOnEveryNode() {
        gate.failed("hub", failure(RemoteFailure.Reason.RATE_LIMITED, Duration.ofSeconds(90)));
        UpstreamFailure refused = assertThrows(UpstreamFailure.class, () -> gate.admit("hub"));
        assertEquals("rate_limited", refused.reason());
        assertEquals(Duration.ofSeconds(90), refused.retryAfter().orElseThrow());
        assertThrows(UpstreamFailure.class, () -> node().admit("hub"), "another node reads the shared block");
        assertDoesNotThrow(() -> gate.admit("other"));
        now = now.plusSeconds(91);
        assertDoesNotThrow(() -> gate.admit("hub"));
    }

    @Test
    void a429WithoutRetryAfterWaitsAMinuteAndAnAbsurdOneAnHour() {
        gate.failed("hub", failure(RemoteFailure.Reason.RATE_LIMITED, null));
        assertEquals(UpstreamGate.DEFAULT_RETRY_AFTER, assertThrows(UpstreamFailure.class, () -> gate.admit("hub")).retryAfter().orElseThrow());
        gate.failed("q", failure(RemoteFailure.Reason.RATE_LIMITED, Duration.ofDays(30)));
        assertEquals(UpstreamGate.MAX_RETRY_AFTER, assertThrows(UpstreamFailure.class, () -> gate.admit("q")).retryAfter().orElseThrow());
    }

    @Test
    void threeFailuresInARowOpenTheBreakerThenOneRequestTries() {
        gate.failed("hub", failure(RemoteFailure.Reason.UNREACHABLE, null));
        gate.failed("hub", failure(RemoteFailure.Reason.TIMEOUT, null));
        assertDoesNotThrow(() -> gate.admit("hub"));
        gate.failed("hub", failure(RemoteFailure.Reason.SERVER_ERROR, null));
        UpstreamFailure open = assertThrows(UpstreamFailure.class, () -> gate.admit("hub"));
        assertEquals(UpstreamFailure.CIRCUIT_OPEN, open.reason());
        assertEquals("circuit_open", gate.status("hub").state());

        now = now.plus(UpstreamGate.OPEN_FOR).plusSeconds(1);
        assertDoesNotThrow(() -> gate.admit("hub"), "half open: one request tries");
        assertThrows(UpstreamFailure.class, () -> gate.admit("hub"), "the others wait for its answer");
        gate.failed("hub", failure(RemoteFailure.Reason.UNREACHABLE, null));
        assertThrows(UpstreamFailure.class, () -> gate.admit("hub"), "its failure opens the breaker again");

        now = now.plus(UpstreamGate.OPEN_FOR).plusSeconds(1);
        gate.admit("hub");
        gate.answered("hub");
        assertDoesNotThrow(() -> gate.admit("hub"));
        assertDoesNotThrow(() -> gate.admit("hub"));
        assertEquals("ok", gate.status("hub").state());
        assertTrue(shared.isEmpty(), "the shared block is cleared");
    }

    @Test
    void anAnswerEvenARefusalIsNotAFailureToAnswer() {
        gate.failed("hub", failure(RemoteFailure.Reason.UNREACHABLE, null));
        gate.failed("hub", failure(RemoteFailure.Reason.UNREACHABLE, null));
        gate.failed("hub", failure(RemoteFailure.Reason.AUTH, null));
        gate.failed("hub", failure(RemoteFailure.Reason.UNREACHABLE, null));
        gate.failed("hub", failure(RemoteFailure.Reason.NOT_FOUND, null));
        assertDoesNotThrow(() -> gate.admit("hub"));
    }
}
