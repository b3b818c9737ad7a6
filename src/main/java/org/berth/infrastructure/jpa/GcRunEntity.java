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
public class GcRunEntity extends RunEntity {

    @Id
    @SequenceGenerator(name = "gc_run_seq", sequenceName = "gc_run_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "gc_run_seq")
    Long id;

    @Column(name = "dry_run", nullable = false)
    boolean dryRun;

    @Column(name = "delete_untagged", nullable = false)
    boolean deleteUntagged;

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

    static GcRunEntity begun(String trigger, boolean dryRun, boolean deleteUntagged, String startedBy, String startedByKind,
                             Instant now, String phase, String report) {
        GcRunEntity e = new GcRunEntity();
        e.begin(trigger, startedBy, startedByKind, now);
        e.dryRun = dryRun;
        e.deleteUntagged = deleteUntagged;
        e.phase = phase;
        e.report = report;
        return e;
    }

    void update(String state, Instant endedAt, Instant heartbeat, String phase, long phaseScanned, long phaseTotal,
                long scanned, long deleted, long freedBytes, String report) {
        progress(state, endedAt, heartbeat);
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
}
