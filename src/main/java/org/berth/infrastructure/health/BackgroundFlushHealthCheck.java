package org.berth.infrastructure.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.FlushLiveness;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health}: the background flush that writes audit entries and pull counts still runs
 * (DOWN when it has stopped or died: what is queued would be lost by a restart).
 */
@Readiness
@Liveness
@ApplicationScoped
public class BackgroundFlushHealthCheck implements HealthCheck {

    @Inject
    FlushLiveness liveness;

    @Override
    public HealthCheckResponse call() {
        FlushLiveness.State state = liveness.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("background-flush").status(state.alive());
        if (state.lastRun() != null) {
            response.withData("last_run", state.lastRun().toString());
        }
        if (state.reason() != null) {
            response.withData("reason", state.reason());
        }
        if (state.lastFailure() != null) {
            response.withData("last_failure", state.lastFailure().lines().findFirst().orElse(""));
        }
        return response.build();
    }
}
