package org.berth.infrastructure.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.berth.remote.RegistryClient;

/** The one client Berth talks to other registries with (proxy cache, replication). */
@ApplicationScoped
public class RegistryClientProducer {

    // @Singleton, not @ApplicationScoped: the client is a final class, which CDI cannot proxy
    @Produces
    @Singleton
    RegistryClient client() {
        return new RegistryClient(RegistryClient.Settings.defaults());
    }

    void close(@Disposes RegistryClient client) {
        client.close();
    }
}
