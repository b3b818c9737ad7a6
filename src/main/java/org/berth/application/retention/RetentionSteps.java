package org.berth.application.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.transaction.Transactional;

import org.berth.application.ArtifactService;
import org.berth.application.webhook.WebhookEvents;
import org.berth.domain.Digest;
import org.berth.domain.ManifestStore;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;
import org.berth.domain.policy.ImmutableRuleStore;
import org.berth.domain.retention.RetentionArtifact;
import org.berth.domain.retention.RetentionInventory;
import org.berth.domain.retention.RetentionRun;
import org.berth.domain.retention.RetentionRunStore;
import org.berth.domain.webhook.WebhookEventType;

/**
 * The deletion of one condemned artifact, a transaction of its own: the manifest's row is locked
 * (as a push of it or of a tag onto it locks it), the artifact is read again, and it is deleted
 * through the ordinary artifact delete only when it is as the decision saw it. Anything else
 * leaves it in place: a tag added, moved onto it or away from it, the same digest pushed again,
 * an index that now lists it and stays, an immutable-tag rule that now protects one of its tags.
 */
@ApplicationScoped
public class RetentionSteps {

    /** What became of one artifact. */
    public enum Outcome {
        DELETED, CHANGED, PROTECTED, LISTED, GONE
    }

    /** @param tags the tags deleted with it (when {@code DELETED}) */
    public record Result(Outcome outcome, List<String> tags) {
    }

    @Inject
    ManifestStore manifests;

    @Inject
    RetentionInventory inventory;

    @Inject
    ImmutableRuleStore immutableRules;

    @Inject
    ArtifactService artifacts;

    @Inject
    RetentionRunStore runs;

    @Inject
    WebhookEvents events;

    /**
     * Records the end of a run and raises its {@code retention_run} webhook event in the same
     * transaction (issue 21).
     */
    @Transactional
    public void end(RetentionRun ended) {
        runs.update(ended, Instant.now());
        RetentionRun.Report r = ended.report();
        events.record(ended.project(), WebhookEventType.RETENTION_RUN, JsonProvider.provider().createObjectBuilder()
                .add("run_id", ended.id())
                .add("state", ended.state().jsonName())
                .add("trigger", ended.trigger().jsonName())
                .add("operator", ended.startedBy())
                .add("artifacts_deleted", r.artifactsDeleted())
                .add("tags_deleted", r.tagsDeleted())
                .add("skipped", r.skipped())
                .add("freed_bytes", r.freedBytes())
                .add("error_count", r.errorCount())
                .build());
    }

    /**
     * @param decided what the decision saw
     * @param deleted the digests of the repository this run has deleted so far: an index among
     *                them no longer keeps its children
     */
    @Transactional
    public Result delete(RepositoryName repository, RetentionArtifact decided, Set<Digest> deleted) {
        Digest digest = decided.digest();
        if (manifests.hold(repository, List.of(digest)).isEmpty()) {
            return new Result(Outcome.GONE, List.of());
        }
        Optional<RetentionArtifact> now = inventory.artifact(repository, digest);
        if (now.isEmpty()) {
            return new Result(Outcome.GONE, List.of());
        }
        RetentionArtifact current = now.get();
        if (!current.tags().equals(decided.tags()) || !current.pushedAt().equals(decided.pushedAt())) {
            return new Result(Outcome.CHANGED, List.of());
        }
        if (current.tags().stream().anyMatch(t -> immutableRules.ruleFor(repository, new Tag(t.tag())).isPresent())) {
            return new Result(Outcome.PROTECTED, List.of());
        }
        if (!deleted.containsAll(inventory.parents(repository, digest))) {
            return new Result(Outcome.LISTED, List.of());
        }
        artifacts.delete(repository, digest);
        return new Result(Outcome.DELETED, current.tagNames());
    }
}
