package org.berth.infrastructure.health;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health}: the metadata database answers a query within {@link #TIMEOUT}; the answer is
 * kept for {@link #KEEP}, so a node that lost its database is DOWN for its load balancer within
 * about three seconds, and probes cost one query a second ({@link KeptCheck}).
 */
@Readiness
@Liveness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration KEEP = Duration.ofSeconds(1);

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Resource
    ManagedExecutorService executor;

    private KeptCheck kept;

    @PostConstruct
    void init() {
        kept = new KeptCheck("database", this::query, executor, TIMEOUT, KEEP, System::nanoTime);
    }

    @Override
    public HealthCheckResponse call() {
        return kept.answer();
    }

    private HealthCheckResponse query() {
        long started = System.nanoTime();
        try {
            em.createNativeQuery("SELECT 1")
                    .setHint("jakarta.persistence.query.timeout", (int) TIMEOUT.toMillis())
                    .getSingleResult();
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
