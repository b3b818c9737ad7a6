package org.berth.application.gc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.berth.domain.gc.GarbageKind;
import org.berth.domain.gc.GcRun;

/**
 * A run while it runs on this server: its progress and report as the runner builds them (one
 * thread writes, API requests read {@link #snapshot}s), and whether it was asked to stop. Memory
 * grows with the repositories a run touches, never with the blobs.
 */
final class RunState {

    private final GcRun begun;
    private final String sourceIp;

    private String phase = GcRun.Phase.STARTING;
    private long phaseScanned;
    private long phaseTotal;
    private long scanned;
    private long phaseStartedNanos = System.nanoTime();
    private long phaseScannedSoFar;
    private final Map<GarbageKind, long[]> tallies = new EnumMap<>(GarbageKind.class);
    private final Map<String, long[]> repositories = new HashMap<>();
    private final List<String> errors = new ArrayList<>();
    private int errorCount;
    private final List<GcRun.PhaseTime> phases = new ArrayList<>();

    /** Why the run must stop, once someone asked: CANCELLED (a person) or INTERRUPTED (Berth stops). */
    private final AtomicReference<GcRun.State> stop = new AtomicReference<>();

    private GcRun.State state = GcRun.State.RUNNING;
    private Instant endedAt;

    RunState(GcRun begun, String sourceIp) {
        this.begun = begun;
        this.sourceIp = sourceIp;
    }

    long id() {
        return begun.id();
    }

    GcRun begun() {
        return begun;
    }

    String sourceIp() {
        return sourceIp;
    }

    boolean dryRun() {
        return begun.options().dryRun();
    }

    boolean deleteUntagged() {
        return begun.options().deleteUntagged();
    }

    // ------------------------------------------------------------------ progress (the runner's thread)

    synchronized void phase(String name, long total) {
        endPhase();
        phase = name;
        phaseTotal = total;
        phaseScanned = 0;
        phaseScannedSoFar = 0;
        phaseStartedNanos = System.nanoTime();
    }

    /** Closes the current phase's timing (called by the next phase, and at the end). */
    synchronized void endPhase() {
        if (!GcRun.Phase.STARTING.equals(phase) && !GcRun.Phase.DONE.equals(phase)) {
            phases.add(new GcRun.PhaseTime(phase, (System.nanoTime() - phaseStartedNanos) / 1_000_000, phaseScannedSoFar));
        }
    }

    /** {@code n} more things looked at. */
    synchronized void scanned(long n) {
        scanned += n;
        phaseScannedSoFar += n;
    }

    /** How far into the phase the run is, from 0 to 1 of its total (the cursor's place in the key space). */
    synchronized void position(double fraction) {
        phaseScanned = Math.round(Math.max(0, Math.min(1, fraction)) * phaseTotal);
    }

    /** Something deleted (or, dry, that would be): counted by kind, and for its repository when it has one. */
    synchronized void count(GarbageKind kind, long bytes, String repository) {
        long[] t = tallies.computeIfAbsent(kind, k -> new long[2]);
        t[0]++;
        t[1] += bytes;
        if (repository != null) {
            long[] r = repositories.computeIfAbsent(repository, k -> new long[6]);
            int at = switch (kind) {
                case MANIFEST -> 0;
                case LINK -> 2;
                case UPLOAD -> 4;
                default -> -1;
            };
            if (at >= 0) {
                r[at]++;
                r[at + 1] += bytes;
            }
        }
    }

    synchronized void error(String message) {
        errorCount++;
        if (errors.size() < GcRun.Report.MAX_ERRORS) {
            errors.add(message);
        }
    }

    // ------------------------------------------------------------------ stopping

    /** Asks the run to stop at its next check; the first reason wins. */
    void stop(GcRun.State why) {
        stop.compareAndSet(null, why);
    }

    /** Why the run was asked to stop, or null. */
    GcRun.State stopRequested() {
        return stop.get();
    }

    synchronized void finish(GcRun.State result, Instant at) {
        endPhase();
        phase = GcRun.Phase.DONE;
        state = result;
        endedAt = at;
    }

    // ------------------------------------------------------------------ what readers see

    synchronized GcRun snapshot() {
        Map<GarbageKind, GcRun.Tally> report = GcRun.Report.emptyTallies();
        long deleted = 0;
        long freed = 0;
        for (Map.Entry<GarbageKind, long[]> e : tallies.entrySet()) {
            report.put(e.getKey(), new GcRun.Tally(e.getValue()[0], e.getValue()[1]));
            deleted += e.getValue()[0];
            if (e.getKey() == GarbageKind.BLOB || e.getKey() == GarbageKind.UPLOAD || e.getKey() == GarbageKind.ORPHAN) {
                freed += e.getValue()[1];
            }
        }
        List<GcRun.RepositoryTally> top = repositories.entrySet().stream()
                .map(e -> new GcRun.RepositoryTally(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
                        e.getValue()[3], e.getValue()[4], e.getValue()[5]))
                .sorted(Comparator.comparingLong(GcRun.RepositoryTally::bytes).reversed()
                        .thenComparing(GcRun.RepositoryTally::repository))
                .limit(GcRun.Report.MAX_REPOSITORIES)
                .toList();
        List<GcRun.PhaseTime> times = new ArrayList<>(phases);
        return new GcRun(begun.id(), state, begun.trigger(), begun.options(), begun.startedBy(), begun.startedByKind(),
                begun.startedAt(), endedAt, stop.get() == GcRun.State.CANCELLED,
                new GcRun.Progress(phase, phaseScanned, phaseTotal, scanned, deleted, freed),
                new GcRun.Report(report, top, repositories.size(), List.copyOf(errors), errorCount, times));
    }
}
