package org.berth.domain.gc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.berth.domain.RunTrigger;

/** The history of garbage collection runs, and the rule that only one runs at a time. */
public interface GcRunStore {

    /**
     * Begins a run, unless one is running: in one transaction that holds the collector's lock row,
     * runs whose heartbeat is older than {@code staleBefore} (their server stopped) are marked
     * interrupted, and a live one refuses the start.
     *
     * @throws org.berth.domain.RegistryException.Conflict naming the run that is running
     */
    GcRun begin(GcOptions options, RunTrigger trigger, String startedBy, String startedByKind, Instant now,
                Instant staleBefore);

    /**
     * Writes the run's state, progress and report, and its heartbeat ({@code now}); nothing once
     * the row says the run ended (another server marked it interrupted).
     */
    void update(GcRun run, Instant now);

    /** Whether the run must stop: someone asked it to (from any server), or another server marked it interrupted. */
    boolean cancelRequested(long id);

    /** Asks the running run to stop; empty when none runs. */
    Optional<GcRun> requestCancel();

    /** The run that is running, if one is (or one whose server died and that nobody marked yet). */
    Optional<GcRun> running();

    Optional<GcRun> find(long id);

    /** Runs, newest first. */
    List<GcRun> history(int offset, int limit);

    long count();

    /** Marks runs whose heartbeat is older than {@code staleBefore} interrupted. */
    int interruptStale(Instant staleBefore, Instant now);

    /** Forgets all but the newest {@code keep} finished runs. */
    void prune(int keep);
}
