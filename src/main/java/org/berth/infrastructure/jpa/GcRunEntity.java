package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A garbage collection run (V8); its report is JSON ({@link GcReportJson}). */
@Entity
@Table(name = "gc_run")
public class GcRunEntity {

    @Id
    @SequenceGenerator(name = "gc_run_seq", sequenceName = "gc_run_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gc_run_seq")
    Long id;

    @Column(nullable = false, length = 16)
    String state;

    @Column(name = "run_trigger", nullable = false, length = 16)
    String trigger;

    @Column(name = "dry_run", nullable = false)
    boolean dryRun;

    @Column(name = "delete_untagged", nullable = false)
    boolean deleteUntagged;

    @Column(name = "started_by", nullable = false)
    String startedBy;

    @Column(name = "started_by_kind", nullable = false, length = 16)
    String startedByKind;

    @Column(name = "started_at", nullable = false)
    Instant startedAt;

    @Column(name = "ended_at")
    Instant endedAt;

    @Column(name = "heartbeat_at", nullable = false)
    Instant heartbeatAt;

    @Column(name = "cancel_requested", nullable = false)
    boolean cancelRequested;

    @Column(nullable = false, length = 16)
    String phase;

    @Column(name = "phase_scanned", nullable = false)
    long phaseScanned;

    @Column(name = "phase_total", nullable = false)
    long phaseTotal;

    @Column(nullable = false)
    long scanned;

    @Column(nullable = false)
    long deleted;

    @Column(name = "freed_bytes", nullable = false)
    long freedBytes;

    @Column(nullable = false, length = 200000)
    String report;

    protected GcRunEntity() {
    }
}
