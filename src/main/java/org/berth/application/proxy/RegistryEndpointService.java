package org.berth.application.proxy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.Listing;
import org.berth.application.SecretBox;
import org.berth.domain.RegistryException;
import org.berth.domain.proxy.RegistryEndpoint;
import org.berth.domain.proxy.RegistryEndpointStore;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteRegistry;

/**
 * Registry endpoints (issue 20): the remote registries proxy projects pull from. Their passwords
 * are sealed ({@link SecretBox}) before they reach the store and opened only for
 * {@link #connection}, which the proxy cache and {@link #ping} use; nothing here returns or logs one.
 */
@ApplicationScoped
@Transactional
public class RegistryEndpointService {

    /** Endpoints Berth keeps: every list has a cap, and a handful is the norm. */
    static final int MAX_ENDPOINTS = 100;

    @Inject
    RegistryEndpointStore endpoints;

    @Inject
    SecretBox secrets;

    @Inject
    EndpointProbe probe;

    /**
     * Creates an endpoint.
     *
     * @param url      checked and normalised by {@link RegistryEndpoint#parseUrl}
     * @param username empty (or "") for anonymous pulls
     * @param password empty (or "") for none
     * @throws RegistryException.InvalidRequest for a bad name, URL, user name or password
     * @throws RegistryException.Conflict when the name is taken
     */
    public RegistryEndpoint create(String name, String url, Optional<String> username, Optional<String> password,
                                   boolean verifyTls) {
        RegistryEndpoint.checkName(name);
        URI base = RegistryEndpoint.parseUrl(url);
        Optional<String> user = username.filter(u -> !u.isEmpty()).map(RegistryEndpoint::checkUsername);
        Optional<String> secret = password.filter(p -> !p.isEmpty()).map(RegistryEndpoint::checkPassword);
        if (endpoints.count() >= MAX_ENDPOINTS) {
            throw new RegistryException.Conflict("Berth has " + MAX_ENDPOINTS
                    + " registry endpoints: delete one before you create another", name);
        }
        RegistryEndpoint endpoint = new RegistryEndpoint(name, base, user, secret.isPresent(), verifyTls, now());
        if (!endpoints.create(endpoint, secret.map(p -> secrets.seal(p, context(name))))) {
            throw new RegistryException.Conflict("registry '" + name + "' already exists", name);
        }
        return endpoint;
    }

    /** One page of the endpoints, by name. */
    public Listing<RegistryEndpoint> list(int offset, int limit) {
        return new Listing<>(endpoints.list(offset, limit), endpoints.count());
    }

    /** @throws RegistryException.NotFound when there is no endpoint of that name */
    public RegistryEndpoint get(String name) {
        return endpoints.find(name).orElseThrow(() -> notFound(name));
    }

    /**
     * Changes what the update sets; the rest stays.
     *
     * @throws RegistryException.NotFound when there is no endpoint of that name
     * @throws RegistryException.InvalidRequest for a bad URL, user name or password
     */
    public RegistryEndpoint update(String name, RegistryEndpointUpdate update) {
        RegistryEndpoint current = get(name);
        URI url = update.url().map(RegistryEndpoint::parseUrl).orElse(current.url());
        Optional<String> username = update.username().isPresent()
                ? update.username().filter(u -> !u.isEmpty()).map(RegistryEndpoint::checkUsername)
                : current.username();
        Optional<String> sealed = update.password().isPresent()
                ? update.password().filter(p -> !p.isEmpty()).map(RegistryEndpoint::checkPassword)
                        .map(p -> secrets.seal(p, context(name)))
                : endpoints.sealedPassword(name);
        RegistryEndpoint changed = new RegistryEndpoint(name, url, username, sealed.isPresent(),
                update.verifyTls().orElse(current.verifyTls()), current.createdAt());
        return endpoints.update(changed, sealed).orElseThrow(() -> notFound(name));
    }

    /**
     * @throws RegistryException.NotFound when there is no endpoint of that name
     * @throws RegistryException.Conflict while a proxy project or a replication rule uses it
     */
    public void delete(String name) {
        get(name);
        if (endpoints.inUse(name)) {
            throw new RegistryException.Conflict("registry '" + name
                    + "' is used by a proxy project or a replication rule: delete it or point it elsewhere first", name);
        }
        if (!endpoints.delete(name)) {
            throw notFound(name);
        }
    }

    /**
     * Where the endpoint is and how to sign in to it, its password opened: for the outgoing client
     * only (never for a response or the log; {@link RemoteRegistry#toString()} hides it).
     *
     * @throws RegistryException.NotFound when there is no endpoint of that name
     * @throws RegistryException.Unavailable when Berth's key cannot open the stored password
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RemoteRegistry connection(String name) {
        RegistryEndpoint endpoint = get(name);
        Optional<String> password = endpoint.hasPassword()
                ? endpoints.sealedPassword(name).map(sealed -> secrets.open(sealed, context(name)))
                : Optional.empty();
        return new RemoteRegistry(endpoint.name(), endpoint.url(), endpoint.username(), password, endpoint.verifyTls());
    }

    /**
     * The "test connection": asks the registry for {@code /v2/} with the endpoint's credentials.
     * A failure of the registry is a result, not an exception. No transaction is held while it
     * waits for the network.
     *
     * @throws RegistryException.NotFound when there is no endpoint of that name
     * @throws RegistryException.Unavailable when Berth's key cannot open the stored password
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public PingResult ping(String name) {
        RemoteRegistry registry = connection(name);
        long start = System.nanoTime();
        try {
            probe.ping(registry);
            return PingResult.ok(Duration.ofNanos(System.nanoTime() - start));
        } catch (RemoteFailure failure) {
            return PingResult.failed(Duration.ofNanos(System.nanoTime() - start), failure);
        }
    }

    /** What a sealed password is bound to: it opens for this endpoint only. */
    static String context(String name) {
        return "registry_endpoint/" + name;
    }

    private static Instant now() {
        // milliseconds, as the API shows them; a TIMESTAMP keeps less than an Instant on some databases
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static RegistryException.NotFound notFound(String name) {
        return new RegistryException.NotFound("registry '" + name + "' not found", name);
    }
}
