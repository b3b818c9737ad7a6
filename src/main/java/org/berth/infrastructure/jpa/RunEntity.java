package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/**
 * What every background run's row has (garbage collection V8, retention V10): state, trigger,
 * who started it and how, when it started and ended, and the heartbeat by which a run whose
 * server died is recognized and marked interrupted.
 */
@MappedSuperclass
public abstract class RunEntity {

    @Column(nullable = false, length = 16)
    String state;

    @Column(name = "run_trigger", nullable = false, length = 16)
    String trigger;

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

    // Every change goes through a method of these classes: EclipseLink's woven change tracking
    // sees only the entity's own writes to its fields.

    /** A run that begins now, running. */
    void begin(String trigger, String startedBy, String startedByKind, Instant now) {
        this.state = "running";
        this.trigger = trigger;
        this.startedBy = startedBy;
        this.startedByKind = startedByKind;
        this.startedAt = now;
        this.heartbeatAt = now;
    }

    /** Its state, end and heartbeat, as the run writes them. */
    void progress(String state, Instant endedAt, Instant heartbeat) {
        this.state = state;
        this.endedAt = endedAt;
        this.heartbeatAt = heartbeat;
    }

    /**
     * Whether the row says the run ended. A run another server marked interrupted (its heartbeat
     * stopped for longer than allowed, e.g. a long pause) may still be running: its writes must
     * not make it running again beside the run that began after it (issue 19).
     */
    boolean ended() {
        return !"running".equals(state);
    }

    /** Its server stopped beating: it ended when it was last heard of. */
    void interrupted() {
        this.state = "interrupted";
        this.endedAt = heartbeatAt.isAfter(startedAt) ? heartbeatAt : startedAt;
    }
}
