package org.berth.infrastructure.health;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.storage.StorageSpace;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health}: the data root takes a write (a small file written, synced and deleted) and has
 * at least {@code berth.health.min-free-bytes} free. Anyone may ask, so the path is not told.
 */
@Readiness
@Liveness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {

    @Inject
    StorageSpace storage;

    @Inject
    @ConfigProperty(name = "berth.health.min-free-bytes", defaultValue = "104857600")
    long minFreeBytes;

    @Override
    public HealthCheckResponse call() {
        try {
            storage.probeWrite();
            StorageSpace.Space space = storage.space();
            return HealthCheckResponse.named("storage")
                    .status(space.freeBytes() >= minFreeBytes)
                    .withData("free_bytes", space.freeBytes())
                    .withData("min_free_bytes", minFreeBytes)
                    .build();
        } catch (IOException | RuntimeException e) {
            return HealthCheckResponse.named("storage").down()
                    .withData("error", e.getClass().getSimpleName()).build(); // the message names paths
        }
    }
}
