package org.berth.auth.token;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the token service ({@code berth.token.*}). */
@ApplicationScoped
public class TokenSettings {

    @Inject
    @ConfigProperty(name = "berth.token.lifetime", defaultValue = "300")
    long lifetimeSeconds;

    @Inject
    @ConfigProperty(name = "berth.token.refresh-lifetime", defaultValue = "2592000")
    long refreshLifetimeSeconds;

    @Inject
    @ConfigProperty(name = "berth.token.service", defaultValue = "berth")
    String service;

    @Inject
    @ConfigProperty(name = "berth.token.issuer", defaultValue = "berth-token-service")
    String issuer;

    /** How long an access token lives (default 5 minutes). */
    public Duration lifetime() {
        return Duration.ofSeconds(lifetimeSeconds);
    }

    public Duration refreshLifetime() {
        return Duration.ofSeconds(refreshLifetimeSeconds);
    }

    /** The {@code service} of challenges and the {@code aud} of tokens. */
    public String service() {
        return service;
    }

    public String issuer() {
        return issuer;
    }
}
