package org.berth.application.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.transaction.Transactional;

import org.berth.auth.Identity;
import org.berth.auth.RequestIdentity;
import org.berth.domain.Digest;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;
import org.berth.domain.webhook.WebhookEvent;
import org.berth.domain.webhook.WebhookEventType;
import org.berth.domain.webhook.WebhookOutbox;

/**
 * Where application code raises webhook events (issue 21): one call, which writes the event to
 * the outbox, with a pending delivery to each subscribed webhook, <b>in the caller's
 * transaction</b>. An event therefore exists exactly when its change committed, and nothing is
 * sent from the request: the {@link WebhookWorker} does that later. A project without a webhook
 * for the type costs one indexed read of a handful of rows.
 * <p>
 * Two kinds of event are no change of their own and get a transaction of their own:
 * {@link #pulled} (a pull changes nothing; recorded only when a webhook wants pulls, which is
 * known from a short-lived cache so that pulls of other projects never reach the database) and
 * {@link #quotaExceeded} (the refused change rolls back; at most one event per project and minute
 * per node, so that a client retrying a refused push does not flood the outbox).
 */
@ApplicationScoped
public class WebhookEvents {

    private static final Logger LOG = Logger.getLogger(WebhookEvents.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Longest data of one event, in characters (the column's width). */
    static final int MAX_DATA = 16 * 1024;
    /** Tags named in a deletion event: 50 of at most 128 characters stay well within {@link #MAX_DATA}. */
    static final int MAX_TAGS = 50;
    static final Duration PULL_CACHE = Duration.ofSeconds(5);
    static final Duration QUOTA_EVENT_EVERY = Duration.ofMinutes(1);
    private static final int MAX_CACHED = 10_000;

    @Inject
    WebhookOutbox outbox;

    @Inject
    ProjectStore projects;

    @Inject
    RequestIdentity requestIdentity;

    private record Cached(boolean wanted, long at) {
    }

    private final Map<String, Cached> pullWanted = new ConcurrentHashMap<>();
    private final Map<String, Long> quotaRaised = new ConcurrentHashMap<>();

    /**
     * Raises an event in the caller's transaction (one is begun when there is none).
     * {@code operator} (the request's caller, else {@code system}) and {@code public} (the
     * project's visibility) are added to {@code data} when it lacks them.
     *
     * @return the event's id; empty when no webhook of the project wants it (nothing was written)
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<String> record(String project, WebhookEventType type, JsonObject data) {
        List<Long> webhooks = outbox.subscribers(project, type);
        if (webhooks.isEmpty()) {
            return Optional.empty();
        }
        JsonObjectBuilder full = JSON.createObjectBuilder(data);
        if (!data.containsKey("operator")) {
            full.add("operator", operator());
        }
        if (!data.containsKey("public")) {
            full.add("public", projects.find(project).map(Project::isPublic).orElse(false));
        }
        JsonObject json = full.build();
        if (json.toString().length() > MAX_DATA) {
            throw new IllegalArgumentException("webhook event data over " + MAX_DATA + " characters");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        WebhookEvent event = new WebhookEvent(UUID.randomUUID().toString(), project, type, now, json);
        outbox.add(event, webhooks, now);
        return Optional.of(event.id());
    }

    /** Whether a webhook of the project wants events of the type (one indexed read). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean wanted(String project, WebhookEventType type) {
        return !outbox.subscribers(project, type).isEmpty();
    }

    /** A manifest pushed (by tag or digest), in the push's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pushed(StoredManifest manifest, Optional<String> tag) {
        JsonObjectBuilder data = artifact(manifest.repository(), tag, manifest.digest())
                .add("media_type", manifest.mediaType())
                .add("size", manifest.size());
        record(Project.of(manifest.repository()), WebhookEventType.PUSH_ARTIFACT, data.build());
    }

    /** A tag removed (the artifact stays), in the deletion's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void tagDeleted(RepositoryName repository, String tag, Optional<Digest> digest) {
        record(Project.of(repository), WebhookEventType.DELETE_TAG, artifact(repository, Optional.of(tag),
                digest.orElse(null)).build());
    }

    /** An artifact deleted with its tags, in the deletion's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void artifactDeleted(RepositoryName repository, Digest digest, List<String> tags) {
        JsonObjectBuilder data = artifact(repository, Optional.empty(), digest);
        data.add("tags", JSON.createArrayBuilder(tags.stream().limit(MAX_TAGS).toList()));
        record(Project.of(repository), WebhookEventType.DELETE_ARTIFACT, data.build());
    }

    /**
     * A manifest pulled (a GET). Never fails the pull: an error is logged. Written in a transaction
     * of its own, and only when a webhook of the project wants pulls.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void pulled(StoredManifest manifest, Optional<String> tag) {
        String project = Project.of(manifest.repository());
        try {
            if (!wantsPulls(project)) {
                return;
            }
            JsonObject data = artifact(manifest.repository(), tag, manifest.digest())
                    .add("media_type", manifest.mediaType()).add("size", manifest.size()).build();
            self().record(project, WebhookEventType.PULL_ARTIFACT, data);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "webhooks: the pull event of project '" + project + "' was not recorded", e);
        }
    }

    /**
     * A push refused by the project's quota: recorded in a transaction of its own (the refused
     * change rolls back), at most once a minute per project on this node. Never fails the caller.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void quotaExceeded(String project, Optional<RepositoryName> repository, long limit, long used, long needed) {
        long nowMillis = System.currentTimeMillis();
        Long last = quotaRaised.get(project);
        if (last != null && nowMillis - last < QUOTA_EVENT_EVERY.toMillis()) {
            return;
        }
        quotaRaised.put(project, nowMillis);
        if (quotaRaised.size() > MAX_CACHED) {
            quotaRaised.clear();
        }
        try {
            JsonObjectBuilder data = JSON.createObjectBuilder();
            repository.ifPresent(r -> data.add("repository", r.value()));
            data.add("limit_bytes", limit).add("used_bytes", used).add("needed_bytes", needed);
            self().record(project, WebhookEventType.QUOTA_EXCEEDED, data.build());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "webhooks: the quota event of project '" + project + "' was not recorded", e);
        }
    }

    /** Forgets what the pull cache knows of the project (a webhook of it changed on this node). */
    void changed(String project) {
        pullWanted.remove(project);
    }

    private boolean wantsPulls(String project) {
        long now = System.currentTimeMillis();
        Cached cached = pullWanted.get(project);
        if (cached == null || now - cached.at() > PULL_CACHE.toMillis()) {
            if (pullWanted.size() > MAX_CACHED) {
                pullWanted.clear();
            }
            cached = new Cached(!outbox.subscribers(project, WebhookEventType.PULL_ARTIFACT).isEmpty(), now);
            pullWanted.put(project, cached);
        }
        return cached.wanted();
    }

    private static JsonObjectBuilder artifact(RepositoryName repository, Optional<String> tag, Digest digest) {
        JsonObjectBuilder data = JSON.createObjectBuilder().add("repository", repository.value());
        tag.ifPresent(t -> data.add("tag", t));
        if (digest != null) {
            data.add("digest", digest.toString());
        }
        return data;
    }

    private String operator() {
        try {
            Identity identity = requestIdentity.identity();
            return identity == null ? "system" : identity.name();
        } catch (ContextNotActiveException e) {
            return "system"; // a worker: retention, replication
        }
    }

    /** This bean through its proxy, so that {@link #record}'s transaction applies to calls from within. */
    private WebhookEvents self() {
        return jakarta.enterprise.inject.spi.CDI.current().select(WebhookEvents.class).get();
    }
}
