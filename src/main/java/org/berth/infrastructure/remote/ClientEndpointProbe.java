package org.berth.infrastructure.remote;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.proxy.EndpointProbe;
import org.berth.remote.RegistryClient;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteRegistry;

/** The "test connection" of an endpoint: the one outgoing client's {@code GET /v2/}, signed in. */
@ApplicationScoped
public class ClientEndpointProbe implements EndpointProbe {

    @Inject
    RegistryClient client;

    @Override
    public void ping(RemoteRegistry registry) throws RemoteFailure {
        client.ping(registry);
    }
}
