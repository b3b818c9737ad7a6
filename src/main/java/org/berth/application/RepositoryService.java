package org.berth.application;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.policy.ImmutableTagGuard;
import org.berth.application.replication.ReplicationTriggers;
import org.berth.application.webhook.WebhookEvents;
import org.berth.domain.ContentCatalog;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.ProjectUsage;
import org.berth.domain.QuotaStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryInfo;
import org.berth.domain.RepositoryName;
import org.berth.domain.RepositorySort;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.webhook.WebhookEventType;

/**
 * The repositories of a project, as the administration API shows and deletes them. Whether the
 * caller may is decided by the {@code AccessController} before these are called.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class RepositoryService {

    @Inject
    ContentCatalog content;

    @Inject
    ProjectStore projects;

    @Inject
    QuotaStore quotas;

    @Inject
    ImmutableTagGuard immutableTags;

    @Inject
    WebhookEvents events;

    @Inject
    ReplicationTriggers replication;

    /** A project's counts and bytes beside its limit (-1: unlimited). */
    public record Summary(ProjectUsage usage, long quotaBytes) {
    }

    /** @param nameContains only names containing this, or null */
    public Listing<RepositoryInfo> list(String project, String nameContains, RepositorySort sort, int offset, int limit) {
        existingProject(project);
        String filter = nameContains == null || nameContains.isEmpty() ? null : nameContains;
        return new Listing<>(content.repositories(project, filter, sort, offset, limit), content.countRepositories(project, filter));
    }

    public RepositoryInfo get(RepositoryName name) {
        return content.repository(name).orElseThrow(() -> new RegistryException.NameUnknown(name.value()));
    }

    /**
     * Deletes the repository: its tags, manifests and blob links; the bytes are left to garbage
     * collection. Refused whole when any of its tags is immutable.
     * <p>
     * To webhooks and replication rules the deletion is that of each of its artifacts, as in
     * Harbor: one {@code delete_artifact} event and one replicated deletion per artifact that no
     * index of the repository lists, raised in this transaction (they exist exactly when the
     * deletion committed). Nothing is read for them when no webhook and no rule wants them.
     */
    @Transactional
    public void delete(RepositoryName name) {
        immutableTags.checkRepositoryDeletion(name);
        boolean toWebhooks = events.wanted(Project.of(name), WebhookEventType.DELETE_ARTIFACT);
        List<ReplicationRule> deletionRules = replication.deletionRules(name);
        if (toWebhooks || !deletionRules.isEmpty()) {
            content.eachTopLevelArtifact(name, (digest, tags) -> {
                if (toWebhooks) {
                    events.artifactDeleted(name, digest, tags);
                }
                replication.artifactDeleted(deletionRules, name, digest, tags);
            });
        }
        if (!content.deleteRepository(name)) {
            throw new RegistryException.NameUnknown(name.value());
        }
    }

    public Summary summary(String project) {
        existingProject(project);
        return new Summary(content.usage(project), quotas.limit(project));
    }

    private void existingProject(String project) {
        if (projects.find(project).isEmpty()) {
            throw new RegistryException.NotFound("project '" + project + "' not found", project);
        }
    }
}
