package org.berth.application.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.webhook.Backoff;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Webhook delivery settings: {@code BERTH_WEBHOOK_BACKOFF_BASE} (seconds, may be a fraction: the
 * unit of the retry schedule, 30 by default; tests shorten it), {@code BERTH_WEBHOOK_MAX_ATTEMPTS}
 * (8), {@code BERTH_WEBHOOK_KEEP_DAYS} (how long delivered and dead deliveries stay in the log, 7),
 * and the public address ({@code BERTH_EXTERNAL_URL}) for Harbor's {@code resource_url}.
 */
@ApplicationScoped
public class WebhookSettings {

    /** Deliveries one webhook may have in flight at once, over all nodes. */
    static final int IN_FLIGHT_PER_WEBHOOK = 2;
    /** Deliveries one node has in flight at once, over all webhooks. */
    static final int IN_FLIGHT_PER_NODE = 64;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a claim holds: well beyond the longest attempt (connect plus answer), so a live
     * node's delivery is never taken from it; a dead node's is sent again once this has passed.
     */
    static final Duration LEASE = Duration.ofSeconds(60);

    @Inject
    @ConfigProperty(name = "berth.webhook.backoff-base", defaultValue = "30")
    double backoffBaseSeconds;

    @Inject
    @ConfigProperty(name = "berth.webhook.max-attempts", defaultValue = "8")
    int maxAttempts;

    @Inject
    @ConfigProperty(name = "berth.webhook.keep-days", defaultValue = "7")
    int keepDays;

    @Inject
    @ConfigProperty(name = "berth.external.url")
    Optional<String> externalUrl;

    public Backoff backoff() {
        long millis = Math.max(1, Math.round(backoffBaseSeconds * 1000));
        return new Backoff(Duration.ofMillis(millis), Math.max(1, Math.min(maxAttempts, 50)));
    }

    public Duration keep() {
        return Duration.ofDays(Math.max(1, keepDays));
    }

    /** {@code registry.example.com} or {@code host:5000}: where clients pull from; empty when not configured. */
    public Optional<String> registryHost() {
        return externalUrl.map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return URI.create(s).getAuthority();
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
    }
}
