package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A retention run (V10); the list of what it deleted and its errors are JSON ({@link RetentionReportJson}). */
@Entity
@Table(name = "retention_run")
public class RetentionRunEntity extends RunEntity {

    @Id
    @SequenceGenerator(name = "retention_run_seq", sequenceName = "retention_run_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "retention_run_seq")
    Long id;

    @Column(name = "project_id", nullable = false)
    Long projectId;

    @Column(name = "artifacts_deleted", nullable = false)
    long artifactsDeleted;

    @Column(name = "tags_deleted", nullable = false)
    long tagsDeleted;

    @Column(nullable = false)
    long skipped;

    @Column(name = "freed_bytes", nullable = false)
    long freedBytes;

    @Column(name = "error_count", nullable = false)
    long errorCount;

    @Column(name = "gc_run_id")
    Long gcRunId;

    @Column(name = "rules_fingerprint", nullable = false, length = 64)
    String rulesFingerprint;

    @Column(nullable = false, length = 2000000)
    String report;

    protected RetentionRunEntity() {
    }

    static RetentionRunEntity begun(Long projectId, String trigger, String startedBy, String startedByKind, String rules,
                                    Instant now, String report) {
        RetentionRunEntity e = new RetentionRunEntity();
        e.projectId = projectId;
        e.begin(trigger, startedBy, startedByKind, now);
        e.rulesFingerprint = rules;
        e.report = report;
        return e;
    }

    void update(String state, Instant endedAt, Instant heartbeat, long artifactsDeleted, long tagsDeleted, long skipped,
                long freedBytes, long errorCount, Long gcRunId, String report) {
        progress(state, endedAt, heartbeat);
        this.artifactsDeleted = artifactsDeleted;
        this.tagsDeleted = tagsDeleted;
        this.skipped = skipped;
        this.freedBytes = freedBytes;
        this.errorCount = errorCount;
        this.gcRunId = gcRunId;
        this.report = report;
    }
}
