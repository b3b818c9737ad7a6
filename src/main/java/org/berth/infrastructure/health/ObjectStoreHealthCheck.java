package org.berth.infrastructure.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.infrastructure.config.BerthConfig;
import org.berth.storage.driver.StorageDriver;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: with {@code BERTH_STORAGE=s3}, the bucket answers a HEAD within the
 * driver's short timeout; the answer is reused for {@link #CACHED_FOR}. DOWN takes the node out of
 * the load balancer; it is not a liveness failure, since restarting the node does not bring the
 * bucket back. On the filesystem, {@link StorageHealthCheck} probes the data root instead.
 */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    static final Duration CACHED_FOR = Duration.ofSeconds(2);

    static final String NAME = "object-store";

    @Inject
    BerthConfig config;

    @Inject
    StorageDriver driver;

    private CachedProbe probe;

    @PostConstruct
    void init() {
        probe = new CachedProbe(driver::probe, CACHED_FOR, System::nanoTime);
    }

    @Override
    public HealthCheckResponse call() {
        // built directly rather than through the builder's service lookup, which plain unit tests lack
        if (!config.s3Storage()) {
            return new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.of(Map.of("storage", "filesystem")));
        }
        return probe.failure() // the bucket and the endpoint are not told: anyone may ask
                .map(error -> new HealthCheckResponse(NAME, HealthCheckResponse.Status.DOWN, Optional.of(Map.<String, Object>of("error", error))))
                .orElseGet(() -> new HealthCheckResponse(NAME, HealthCheckResponse.Status.UP, Optional.empty()));
    }
}
