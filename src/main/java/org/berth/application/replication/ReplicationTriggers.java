package org.berth.application.replication;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.replication.ReplicationExecution;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationExecutionStore;
import org.berth.domain.replication.ReplicationRuleStore;
import org.berth.domain.replication.ReplicationTask;

/**
 * The event trigger of push rules (issue 21): a push of a tag, or of a referrer (by digest, with
 * a subject), in a repository a rule selects records a pending execution scoped to that artifact
 * <b>in the push's transaction</b>, as webhook events are: it exists exactly when the push
 * committed, and nothing is sent from the request. With {@code replicate_deletion}, a deleted
 * artifact or tag records a deletion at the destination the same way. Costs one indexed read of
 * the (few) enabled event rules per push.
 */
@ApplicationScoped
public class ReplicationTriggers {

    @Inject
    ReplicationRuleStore rules;

    @Inject
    ReplicationExecutionStore store;

    /**
     * A manifest pushed by tag, or by digest ({@code tag} empty; then only a referrer counts, as
     * its subject's copy: the subject is there already or is copied with it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pushed(RepositoryName repository, Optional<String> tag, Digest digest, Optional<Digest> subject) {
        if (tag.isEmpty() && subject.isEmpty()) {
            return; // an index's child: its index's push copies it
        }
        for (ReplicationRule rule : rules.eventRules()) {
            if (!rule.filters().acceptsRepository(repository.value())) {
                continue;
            }
            if (tag.isPresent() && rule.filters().acceptsTag(tag.get())) {
                record(rule, ReplicationTask.Operation.COPY, repository, tag.get());
            } else if (tag.isEmpty()) {
                record(rule, ReplicationTask.Operation.COPY, repository, subject.get().toString());
            }
        }
    }

    /** A tag removed here: its artifact is deleted at the destination when the destination's tag still points at it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void tagDeleted(RepositoryName repository, String tag, Optional<Digest> digest) {
        if (digest.isEmpty()) {
            return;
        }
        for (ReplicationRule rule : deletionRules(repository)) {
            if (rule.filters().acceptsTag(tag)) {
                record(rule, ReplicationTask.Operation.DELETE, repository, tag + "@" + digest.get());
            }
        }
    }

    /** The enabled event rules that replicate deletions in the repository (one read of the few event rules). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReplicationRule> deletionRules(RepositoryName repository) {
        return rules.eventRules().stream()
                .filter(rule -> rule.replicateDeletion() && rule.filters().acceptsRepository(repository.value()))
                .toList();
    }

    /** An artifact deleted here with its tags. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void artifactDeleted(RepositoryName repository, Digest digest, List<String> tags) {
        artifactDeleted(deletionRules(repository), repository, digest, tags);
    }

    /**
     * An artifact deleted here with its tags: deleted at the destination by those of the
     * {@link #deletionRules} whose tag filter accepts one of its tags (an untagged artifact, a
     * referrer say, by all of them). A repository's deletion reads the rules once for all its artifacts.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void artifactDeleted(List<ReplicationRule> deletionRules, RepositoryName repository, Digest digest, List<String> tags) {
        for (ReplicationRule rule : deletionRules) {
            if (tags.isEmpty() || tags.stream().anyMatch(rule.filters()::acceptsTag)) {
                record(rule, ReplicationTask.Operation.DELETE, repository, "@" + digest);
            }
        }
    }

    private void record(ReplicationRule rule, ReplicationTask.Operation operation, RepositoryName repository, String reference) {
        store.createExecution(rule.name(), ReplicationExecution.Trigger.EVENT, null,
                Optional.of(new ReplicationExecution.Scope(operation, repository.value(), reference)),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
