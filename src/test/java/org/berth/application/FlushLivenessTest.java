package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.berth.support.ManualClock;
import org.junit.jupiter.api.Test;

class FlushLivenessTest {

    private final ManualClock clock = new ManualClock();
    private final FlushLiveness liveness = new FlushLiveness(clock);

    @Test
    void aliveWhileRunsComeEverySecond() {
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            liveness.ran();
            assertTrue(liveness.state().alive());
        }
    }

    @Test
    void downWhenNoRunForTenPeriods() {
        liveness.ran();
        clock.advance(FlushLiveness.STALE_AFTER);
        assertTrue(liveness.state().alive(), "exactly at the bound is still alive");
        clock.advance(Duration.ofSeconds(1));
        FlushLiveness.State state = liveness.state();
        assertFalse(state.alive());
        assertTrue(state.reason().contains("11 s"), state.reason());
        liveness.ran();
        assertTrue(liveness.state().alive(), "a new run brings it back");
    }

    @Test
    void downWhenTheTimerNeverStarted() {
        assertTrue(liveness.state().alive(), "a grace period after start");
        clock.advance(FlushLiveness.STALE_AFTER.plusSeconds(1));
        assertFalse(liveness.state().alive());
    }

    @Test
    void downAtOnceWhenTheLastRunDiedOfAnError() {
        liveness.ran();
        clock.advance(Duration.ofMillis(500));
        liveness.failed(new OutOfMemoryError("Java heap space"));
        FlushLiveness.State state = liveness.state();
        assertFalse(state.alive());
        assertTrue(state.reason().contains("OutOfMemoryError"), state.reason());
        clock.advance(Duration.ofSeconds(1));
        liveness.ran();
        assertTrue(liveness.state().alive(), "the timer retried and the run went through");
    }

    @Test
    void aWriterFailingInARunThatCompletesIsReportedButAlive() {
        liveness.failed(new IllegalStateException("database gone"));
        liveness.ran();
        FlushLiveness.State state = liveness.state();
        assertTrue(state.alive());
        assertTrue(state.lastFailure().contains("database gone"), state.lastFailure());
    }
}
