package org.berth.domain.proxy;

import java.util.List;
import java.util.Optional;

/**
 * The registry endpoints, by name. Passwords come and go sealed (see
 * {@code org.berth.application.SecretBox}): the store never sees one in clear, and
 * {@link RegistryEndpoint#hasPassword()} of what it returns says whether a sealed one is kept.
 */
public interface RegistryEndpointStore {

    Optional<RegistryEndpoint> find(String name);

    /** The sealed password of the endpoint; empty when it has none or does not exist. */
    Optional<String> sealedPassword(String name);

    /** One page, by name. */
    List<RegistryEndpoint> list(int offset, int limit);

    long count();

    /**
     * Stores a new endpoint ({@code hasPassword} is taken from {@code sealedPassword}).
     *
     * @return false when the name is taken
     */
    boolean create(RegistryEndpoint endpoint, Optional<String> sealedPassword);

    /**
     * Replaces the URL, user name, password and TLS setting of the endpoint of that name (its
     * creation time stays; {@code hasPassword} is taken from {@code sealedPassword}).
     *
     * @return the endpoint as stored; empty when there is none of that name
     */
    Optional<RegistryEndpoint> update(RegistryEndpoint endpoint, Optional<String> sealedPassword);

    /** @return false when there was no such endpoint */
    boolean delete(String name);

    /**
     * Whether a proxy project or a replication rule uses the endpoint, which then cannot be deleted (409).
     */
    boolean inUse(String name);
}
