package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A project's retention policy (V10); its rules are JSON ({@code RetentionRulesJson}). */
@Entity
@Table(name = "retention_policy")
public class RetentionPolicyEntity {

    @Id
    @Column(name = "project_id")
    Long projectId;

    @Column(nullable = false, length = 65536)
    String rules;

    @Column(length = 128)
    String schedule;

    @Column(nullable = false)
    boolean enabled;

    @Column(name = "run_gc", nullable = false)
    boolean runGc;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    String updatedBy;

    protected RetentionPolicyEntity() {
    }

    RetentionPolicyEntity(Long projectId) {
        this.projectId = projectId;
    }

    // changed only through this method: EclipseLink's woven change tracking sees the entity's own writes

    void update(String rules, String schedule, boolean enabled, boolean runGc, Instant updatedAt, String updatedBy) {
        this.rules = rules;
        this.schedule = schedule;
        this.enabled = enabled;
        this.runGc = runGc;
        this.updatedAt = updatedAt;
        this.updatedBy = updatedBy;
    }
}
