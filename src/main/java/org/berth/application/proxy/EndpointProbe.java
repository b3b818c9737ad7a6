package org.berth.application.proxy;

import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteRegistry;

/**
 * The "test connection" of a registry endpoint: {@code GET /v2/} answered, and the credentials
 * (if any) accepted. The outgoing client ({@code org.berth.remote.RegistryClient#ping}) does it;
 * {@code org.berth.infrastructure.remote.ClientEndpointProbe} is where it is wired in.
 */
public interface EndpointProbe {

    void ping(RemoteRegistry registry) throws RemoteFailure;
}
