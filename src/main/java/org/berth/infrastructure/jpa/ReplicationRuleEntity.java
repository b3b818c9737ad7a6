package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.berth.domain.replication.ReplicationRule;

/** A replication rule in table {@code replication_rule} (V15), by name. */
@Entity
@Table(name = "replication_rule")
public class ReplicationRuleEntity {

    @Id
    @Column(length = 64)
    private String name;

    @Column(nullable = false, length = 1024)
    private String description;

    @Column(nullable = false, length = 8)
    private String direction;

    @Column(name = "registry_name", nullable = false, length = 255)
    private String registry;

    @Column(name = "repository_filter", nullable = false, length = 255)
    private String repositoryFilter;

    @Column(name = "tag_filter", nullable = false, length = 255)
    private String tagFilter;

    @Column(name = "tag_match", nullable = false, length = 8)
    private String tagMatch;

    @Column(name = "artifact_type", length = 255)
    private String artifactType;

    @Column(name = "dest_namespace", nullable = false, length = 255)
    private String destNamespace;

    @Column(name = "dest_path", nullable = false, length = 8)
    private String destPath;

    @Column(name = "trigger_type", nullable = false, length = 8)
    private String triggerType;

    @Column(name = "cron_expression", length = 128)
    private String cron;

    @Column(name = "next_cron_at")
    private Instant nextCronAt;

    @Column(name = "override_tags", nullable = false)
    private boolean overrideTags;

    @Column(name = "replicate_deletion", nullable = false)
    private boolean replicateDeletion;

    @Column(name = "bandwidth_kbps", nullable = false)
    private long bandwidthKbps;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ReplicationRuleEntity() {
    }

    ReplicationRuleEntity(ReplicationRule rule, Instant nextCronAt) {
        this.name = rule.name();
        this.createdAt = rule.createdAt();
        set(rule, nextCronAt);
    }

    /** Everything but the name and creation time. */
    void set(ReplicationRule rule, Instant next) {
        description = rule.description();
        direction = rule.direction().jsonName();
        registry = rule.registry();
        repositoryFilter = rule.filters().repository();
        tagFilter = rule.filters().tag();
        tagMatch = rule.filters().tagMatch().jsonName();
        artifactType = rule.filters().artifactType();
        destNamespace = rule.destination().namespace();
        destPath = rule.destination().path().jsonName();
        triggerType = rule.trigger().type().jsonName();
        cron = rule.trigger().cron();
        nextCronAt = next;
        overrideTags = rule.override();
        replicateDeletion = rule.replicateDeletion();
        bandwidthKbps = rule.bandwidthKbps();
        enabled = rule.enabled();
        updatedAt = rule.updatedAt();
    }

    Instant nextCronAt() {
        return nextCronAt;
    }

    ReplicationRule toDomain() {
        return new ReplicationRule(name, description, ReplicationRule.Direction.valueOf(upper(direction)), registry,
                new ReplicationRule.Filters(repositoryFilter, tagFilter, ReplicationRule.TagMatch.valueOf(upper(tagMatch)),
                        artifactType),
                new ReplicationRule.Destination(destNamespace, ReplicationRule.PathMode.valueOf(upper(destPath))),
                new ReplicationRule.Trigger(ReplicationRule.TriggerType.valueOf(upper(triggerType)), cron),
                overrideTags, replicateDeletion, bandwidthKbps, enabled, createdAt, updatedAt);
    }

    private static String upper(String value) {
        return value.toUpperCase(java.util.Locale.ROOT);
    }
}
