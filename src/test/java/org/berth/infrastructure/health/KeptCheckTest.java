package org.berth.infrastructure.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 19 part 6: a database that does not answer is DOWN within the time limit; answers are kept a second. */
class KeptCheckTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicLong nanos = new AtomicLong();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        executor.shutdownNow();
    }

    private static HealthCheckResponse up() {
        return new HealthCheckResponse("database", HealthCheckResponse.Status.UP, Optional.empty());
    }

    @Test
    void aCheckThatHangsIsDownWhenTheTimeIsUp() {
        KeptCheck check = new KeptCheck("database", () -> {
            await(never);
            return up();
        }, executor, Duration.ofMillis(200), Duration.ofSeconds(1), nanos::get);
        long started = System.nanoTime();
        HealthCheckResponse answer = check.answer();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(HealthCheckResponse.Status.DOWN, answer.getStatus());
        assertTrue(answer.getData().orElseThrow().get("error").toString().contains("200 ms"), answer.getData().toString());
        assertTrue(tookMillis < 2_000, "took " + tookMillis + " ms");
    }

    @Test
    void anAnswerIsKeptForASecondThenAskedAgain() {
        AtomicInteger runs = new AtomicInteger();
        KeptCheck check = new KeptCheck("database", () -> {
            runs.incrementAndGet();
            return up();
        }, executor, Duration.ofSeconds(2), Duration.ofSeconds(1), nanos::get);
        for (int i = 0; i < 10; i++) {
            assertEquals(HealthCheckResponse.Status.UP, check.answer().getStatus());
        }
        assertEquals(1, runs.get());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        check.answer();
        assertEquals(2, runs.get());
    }

    @Test
    void aHungCheckIsNotStartedAgainWhileItHangs() {
        AtomicInteger runs = new AtomicInteger();
        KeptCheck check = new KeptCheck("database", () -> {
            runs.incrementAndGet();
            await(never);
            return up();
        }, executor, Duration.ofMillis(50), Duration.ZERO, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertEquals(HealthCheckResponse.Status.DOWN, check.answer().getStatus());
        }
        assertEquals(1, runs.get());
    }

    @Test
    void aCheckThatThrowsIsDownWithTheError() {
        KeptCheck check = new KeptCheck("database", () -> {
            throw new IllegalStateException("connection refused");
        }, executor, Duration.ofSeconds(2), Duration.ofSeconds(1), nanos::get);
        HealthCheckResponse answer = check.answer();
        assertEquals(HealthCheckResponse.Status.DOWN, answer.getStatus());
        assertEquals("IllegalStateException: connection refused", answer.getData().orElseThrow().get("error"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
