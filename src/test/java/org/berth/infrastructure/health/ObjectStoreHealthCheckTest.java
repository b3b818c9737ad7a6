package org.berth.infrastructure.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.berth.infrastructure.config.BerthConfig;
import org.berth.storage.driver.s3.S3ProxyServer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Readiness follows the object store: DOWN when the bucket cannot be reached, a probe per two seconds at most. */
class ObjectStoreHealthCheckTest {

    @Test
    void aProbeIsReusedForItsTtlThenRunAgain() {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean reachable = new AtomicBoolean(true);
        AtomicLong clock = new AtomicLong();
        CachedProbe probe = new CachedProbe(() -> {
            runs.incrementAndGet();
            if (!reachable.get()) {
                throw new IOException("S3 bucket b", new java.net.ConnectException("refused"));
            }
        }, ObjectStoreHealthCheck.CACHED_FOR, clock::get);

        assertEquals(Optional.empty(), probe.failure());
        reachable.set(false);
        clock.addAndGet(1_000_000_000L);
        assertEquals(Optional.empty(), probe.failure(), "within two seconds: the last answer");
        assertEquals(1, runs.get());
        clock.addAndGet(1_000_000_000L);
        assertEquals(Optional.of("ConnectException"), probe.failure());
        assertEquals(2, runs.get());
    }

    @Test
    void readinessIsDownWhenTheBucketIsUnreachableAndUpWhenItAnswers() throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        ObjectStoreHealthCheck check = new ObjectStoreHealthCheck();
        check.config = s3Config();
        check.driver = S3ProxyServer.driver(server.settings(server.newBucket()));
        check.init();
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());

        ObjectStoreHealthCheck missing = new ObjectStoreHealthCheck();
        missing.config = s3Config();
        missing.driver = S3ProxyServer.driver(server.settings("bucket-that-is-not-there"));
        missing.init();
        HealthCheckResponse down = missing.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertEquals("object-store", down.getName());
    }

    private static BerthConfig s3Config() {
        return new BerthConfig() {
            @Override
            public boolean s3Storage() {
                return true;
            }
        };
    }
}
