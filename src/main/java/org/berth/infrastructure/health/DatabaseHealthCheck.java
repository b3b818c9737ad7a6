package org.berth.infrastructure.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health}: the metadata database answers a query. */
@Readiness
@Liveness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public HealthCheckResponse call() {
        long started = System.nanoTime();
        try {
            em.createNativeQuery("SELECT 1").getSingleResult();
            return HealthCheckResponse.named("database").up()
                    .withData("millis", (System.nanoTime() - started) / 1_000_000).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("database").down()
                    .withData("error", e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())).build();
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
