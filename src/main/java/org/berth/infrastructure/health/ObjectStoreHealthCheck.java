package org.berth.infrastructure.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.infrastructure.config.BerthConfig;
import org.berth.storage.driver.StorageDriver;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: with {@code BERTH_STORAGE=s3}, the bucket answers a HEAD within
 * {@link #TIMEOUT}; the answer is kept for {@link #KEEP} ({@link KeptCheck}). DOWN takes the node
 * out of the load balancer; it is not a liveness failure, since restarting the node does not bring
 * the bucket back. On the filesystem, {@link StorageHealthCheck} probes the data root instead.
 */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration KEEP = Duration.ofSeconds(2);

    static final String NAME = "object-store";

    @Inject
    BerthConfig config;

    @Inject
    StorageDriver driver;

    @Resource
    ManagedExecutorService executor;

    private KeptCheck kept;

    @PostConstruct
    void init() {
        init(System::nanoTime);
    }

    void init(LongSupplier nanoTime) {
        kept = new KeptCheck(NAME, this::probe, executor, TIMEOUT, KEEP, nanoTime);
    }

    @Override
    public HealthCheckResponse call() {
        // built directly rather than through the builder's service lookup, which plain unit tests lack
        if (!config.s3Storage()) {
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.of(Map.of("storage", "filesystem")));
        }
        return kept.answer();
    }

    private HealthCheckResponse probe() {
        try {
            driver.probe();
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.empty());
        } catch (Exception e) {
            // the kind of failure only: the bucket and the endpoint are not told, anyone may ask
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN,
                    Optional.of(Map.<String, Object>of("error", cause.getClass().getSimpleName())));
        }
    }
}
