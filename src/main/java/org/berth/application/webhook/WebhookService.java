package org.berth.application.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.CreatedSecret;
import org.berth.application.Listing;
import org.berth.application.SecretBox;
import org.berth.domain.ProjectStore;
import org.berth.domain.RegistryException;
import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookDelivery;
import org.berth.domain.webhook.WebhookEventType;
import org.berth.domain.webhook.WebhookFormat;
import org.berth.domain.webhook.WebhookOutbox;
import org.berth.domain.webhook.WebhookStore;

/**
 * The webhooks of a project (issue 21): made, changed, deleted by its administrators, with their
 * delivery log. The HMAC secret is generated here and exists in clear only in the answer to a
 * create or a rotation; it and the optional Authorization header are sealed ({@link SecretBox})
 * before they reach the store, and opened only by the {@link WebhookWorker} to sign and send.
 */
@ApplicationScoped
@Transactional
public class WebhookService {

    @Inject
    WebhookStore webhooks;

    @Inject
    WebhookOutbox outbox;

    @Inject
    ProjectStore projects;

    @Inject
    SecretBox secrets;

    @Inject
    WebhookEvents events;

    /** What a new webhook is made of; the secret is generated. */
    public record Draft(String name, String url, List<String> eventTypes, Optional<String> authHeader, boolean verifyTls,
                        String format, boolean enabled) {
        @Override
        public String toString() {
            return "Draft[" + name + ", authHeader=" + (authHeader.isPresent() ? "***" : "none") + "]";
        }
    }

    /**
     * @throws RegistryException.NotFound when there is no such project
     * @throws RegistryException.InvalidRequest for a bad field
     * @throws RegistryException.Conflict when the name is taken or the project has {@value Webhook#MAX_PER_PROJECT}
     */
    public CreatedSecret<Webhook> create(String project, Draft draft) {
        existingProject(project);
        String name = Webhook.checkName(draft.name());
        var url = Webhook.parseUrl(draft.url());
        Set<WebhookEventType> types = Webhook.parseEventTypes(draft.eventTypes());
        WebhookFormat format = Webhook.parseFormat(draft.format());
        Optional<String> auth = draft.authHeader().filter(a -> !a.isEmpty()).map(Webhook::checkAuthHeader);
        if (webhooks.count(project) >= Webhook.MAX_PER_PROJECT) {
            throw new RegistryException.Conflict("project '" + project + "' has " + Webhook.MAX_PER_PROJECT
                    + " webhooks: delete one before you create another", name);
        }
        String secret = WebhookSecrets.generate();
        Webhook wanted = new Webhook(0, project, name, url, types, auth.isPresent(), draft.verifyTls(), format,
                draft.enabled(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Webhook created = webhooks.create(wanted, id -> secrets.seal(secret, WebhookSecrets.secretContext(id)),
                        id -> auth.map(a -> secrets.seal(a, WebhookSecrets.authContext(id))))
                .orElseThrow(() -> taken(project, name));
        events.changed(project);
        return new CreatedSecret<>(created, secret);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Listing<Webhook> list(String project, int offset, int limit) {
        existingProject(project);
        return new Listing<>(webhooks.list(project, offset, limit), webhooks.count(project));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Webhook get(String project, long id) {
        existingProject(project);
        return webhooks.find(project, id).orElseThrow(() -> notFound(id));
    }

    /** @throws RegistryException.Conflict when the new name is taken */
    public Webhook update(String project, long id, WebhookUpdate update) {
        Webhook current = get(project, id);
        String name = update.name().map(Webhook::checkName).orElse(current.name());
        if (!name.equals(current.name()) && webhooks.nameTaken(project, name, id)) {
            throw taken(project, name);
        }
        Optional<String> sealedAuth = update.authHeader().isPresent()
                ? update.authHeader().filter(a -> !a.isEmpty()).map(Webhook::checkAuthHeader)
                        .map(a -> secrets.seal(a, WebhookSecrets.authContext(id)))
                : webhooks.sealedAuthHeader(id);
        Webhook changed = new Webhook(id, project, name,
                update.url().map(Webhook::parseUrl).orElse(current.url()),
                update.eventTypes().map(Webhook::parseEventTypes).orElse(current.eventTypes()),
                sealedAuth.isPresent(),
                update.verifyTls().orElse(current.verifyTls()),
                update.format().map(Webhook::parseFormat).orElse(current.format()),
                update.enabled().orElse(current.enabled()),
                current.createdAt());
        Webhook stored = webhooks.update(changed, sealedAuth).orElseThrow(() -> notFound(id));
        events.changed(project);
        return stored;
    }

    /** A new secret replaces the old at once (deliveries signed from now on use it). */
    public String rotateSecret(String project, long id) {
        get(project, id);
        String secret = WebhookSecrets.generate();
        if (!webhooks.replaceSecret(id, secrets.seal(secret, WebhookSecrets.secretContext(id)))) {
            throw notFound(id);
        }
        return secret;
    }

    /** Deletes it and its delivery log; undelivered events are not sent to it any more. */
    public void delete(String project, long id) {
        existingProject(project);
        if (!webhooks.delete(project, id)) {
            throw notFound(id);
        }
        events.changed(project);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Listing<WebhookDelivery> deliveries(String project, long id, int offset, int limit) {
        get(project, id);
        return new Listing<>(outbox.deliveries(id, offset, limit), outbox.countDeliveries(id));
    }

    /** Sends the delivery again, from a first attempt, as soon as the worker sees it. */
    public void redeliver(String project, long id, long delivery) {
        get(project, id);
        if (!outbox.redeliver(id, delivery, Instant.now())) {
            throw new RegistryException.NotFound("delivery " + delivery + " of webhook " + id + " not found",
                    String.valueOf(delivery));
        }
    }

    private void existingProject(String project) {
        if (projects.find(project).isEmpty()) {
            throw new RegistryException.NotFound("project '" + project + "' not found", project);
        }
    }

    private static RegistryException.NotFound notFound(long id) {
        return new RegistryException.NotFound("webhook " + id + " not found", String.valueOf(id));
    }

    private static RegistryException.Conflict taken(String project, String name) {
        return new RegistryException.Conflict("project '" + project + "' has a webhook named '" + name + "'", name);
    }
}
