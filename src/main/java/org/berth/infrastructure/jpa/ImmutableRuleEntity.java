package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.policy.Glob;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.Selector;

/** An immutable-tag rule in table {@code immutable_tag_rule}; modes are stored by enum name. */
@Entity
@Table(name = "immutable_tag_rule")
public class ImmutableRuleEntity {

    @Id
    @SequenceGenerator(name = "immutable_tag_rule_seq", sequenceName = "immutable_tag_rule_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "immutable_tag_rule_seq")
    private Long id;

    @Column(name = "project_id", nullable = false)
    private Long projectId;

    @Column(nullable = false, length = 64)
    private String name;

    @Column(name = "repository_pattern", nullable = false, length = 256)
    private String repositoryPattern;

    @Column(name = "repository_mode", nullable = false, length = 16)
    private String repositoryMode;

    @Column(name = "tag_pattern", nullable = false, length = 256)
    private String tagPattern;

    @Column(name = "tag_mode", nullable = false, length = 16)
    private String tagMode;

    @Column(nullable = false)
    private boolean disabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by", nullable = false, length = 255)
    private String createdBy;

    protected ImmutableRuleEntity() {
    }

    ImmutableRuleEntity(Long projectId, ImmutableRule rule) {
        this.projectId = projectId;
        this.name = rule.name();
        this.repositoryPattern = rule.repository().glob().pattern();
        this.repositoryMode = rule.repository().mode().name();
        this.tagPattern = rule.tag().glob().pattern();
        this.tagMode = rule.tag().mode().name();
        this.disabled = rule.disabled();
        this.createdAt = rule.createdAt();
        this.createdBy = rule.createdBy();
    }

    void setDisabled(boolean disabled) {
        this.disabled = disabled;
    }

    ImmutableRule toDomain(String project) {
        return new ImmutableRule(id, project, name,
                new Selector(Glob.parse(repositoryPattern), Selector.Mode.valueOf(repositoryMode)),
                new Selector(Glob.parse(tagPattern), Selector.Mode.valueOf(tagMode)),
                disabled, createdAt, createdBy);
    }
}
