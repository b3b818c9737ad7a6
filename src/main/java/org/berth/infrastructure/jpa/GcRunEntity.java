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

    // Every change goes through a method of this class: EclipseLink's woven change tracking sees
    // only the entity's own writes to its fields.

    static GcRunEntity begun(String trigger, boolean dryRun, boolean deleteUntagged, String startedBy, String startedByKind,
                             Instant now, String phase, String report) {
        GcRunEntity e = new GcRunEntity();
        e.state = "running";
        e.trigger = trigger;
        e.dryRun = dryRun;
        e.deleteUntagged = deleteUntagged;
        e.startedBy = startedBy;
        e.startedByKind = startedByKind;
        e.startedAt = now;
        e.heartbeatAt = now;
        e.phase = phase;
        e.report = report;
        return e;
    }

    void update(String state, Instant endedAt, Instant heartbeat, String phase, long phaseScanned, long phaseTotal,
                long scanned, long deleted, long freedBytes, String report) {
        this.state = state;
        this.endedAt = endedAt;
        this.heartbeatAt = heartbeat;
        this.phase = phase;
        this.phaseScanned = phaseScanned;
        this.phaseTotal = phaseTotal;
        this.scanned = scanned;
        this.deleted = deleted;
        this.freedBytes = freedBytes;
        this.report = report;
    }

    void requestCancel() {
        this.cancelRequested = true;
    }

    /** Its server stopped beating: it ended when it was last heard of. */
    void interrupted() {
        this.state = "interrupted";
        this.endedAt = heartbeatAt.isAfter(startedAt) ? heartbeatAt : startedAt;
    }
}
