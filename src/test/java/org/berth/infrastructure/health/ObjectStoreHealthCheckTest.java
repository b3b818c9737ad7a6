package org.berth.infrastructure.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.concurrent.ManagedExecutorService;

import org.berth.infrastructure.config.BerthConfig;
import org.berth.storage.driver.StorageDriver;
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
        ObjectStoreHealthCheck check = new ObjectStoreHealthCheck();
        check.config = s3Config();
        check.executor = inline();
        check.driver = (StorageDriver) Proxy.newProxyInstance(StorageDriver.class.getClassLoader(),
                new Class<?>[] {StorageDriver.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("probe")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    runs.incrementAndGet();
                    if (!reachable.get()) {
                        throw new IOException("S3 bucket b", new java.net.ConnectException("refused"));
                    }
                    return null;
                });
        check.init(clock::get);

        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        reachable.set(false);
        clock.addAndGet(1_000_000_000L);
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus(), "within two seconds: the last answer");
        assertEquals(1, runs.get());
        clock.addAndGet(1_000_000_000L);
        HealthCheckResponse down = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertEquals(Optional.of(Map.of("error", "ConnectException")), down.getData(), "the kind of failure, not the bucket");
        assertEquals(2, runs.get());
    }

    /** An executor service that runs each task on the caller's thread (only execute is used). */
    private static ManagedExecutorService inline() {
        return (ManagedExecutorService) Proxy.newProxyInstance(ManagedExecutorService.class.getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("execute")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    ((Runnable) args[0]).run();
                    return null;
                });
    }

    @Test
    void readinessIsDownWhenTheBucketIsUnreachableAndUpWhenItAnswers() throws Exception {
        S3ProxyServer server = S3ProxyServer.shared();
        ObjectStoreHealthCheck check = new ObjectStoreHealthCheck();
        check.config = s3Config();
        check.driver = S3ProxyServer.driver(server.settings(server.newBucket()));
        check.executor = inline();
        check.init();
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());

        ObjectStoreHealthCheck missing = new ObjectStoreHealthCheck();
        missing.config = s3Config();
        missing.driver = S3ProxyServer.driver(server.settings("bucket-that-is-not-there"));
        missing.executor = inline();
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
