package org.berth.domain.webhook;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The webhooks of the projects. Secrets and Authorization headers come and go sealed (see
 * {@code org.berth.application.SecretBox}): the store never sees one in clear.
 */
public interface WebhookStore {

    Optional<Webhook> find(String project, long id);

    /** One page of a project's webhooks, by name. */
    List<Webhook> list(String project, int offset, int limit);

    long count(String project);

    /**
     * Stores a new webhook ({@code id} and {@code hasAuthHeader} of {@code draft} are ignored): its
     * id is chosen first, so that what is sealed can be bound to it.
     *
     * @param sealedSecret     the sealed HMAC key, given the new id
     * @param sealedAuthHeader the sealed Authorization header, given the new id; empty for none
     * @return the webhook as stored; empty when the project has one of that name
     */
    Optional<Webhook> create(Webhook draft, LongFunction<String> sealedSecret,
                             LongFunction<Optional<String>> sealedAuthHeader);

    /**
     * Replaces the name, URL, event types, TLS setting, format, enabled and the Authorization header
     * ({@code hasAuthHeader} is taken from {@code sealedAuthHeader}).
     *
     * @return the webhook as stored; empty when there is none (or the new name is taken: see {@link #nameTaken})
     */
    Optional<Webhook> update(Webhook changed, Optional<String> sealedAuthHeader);

    /** Whether another webhook of the project has the name. */
    boolean nameTaken(String project, String name, long exceptId);

    Optional<String> sealedSecret(long id);

    Optional<String> sealedAuthHeader(long id);

    /** @return false when there is no such webhook */
    boolean replaceSecret(long id, String sealedSecret);

    /** Deletes it with its deliveries. @return false when there was none */
    boolean delete(String project, long id);
}
