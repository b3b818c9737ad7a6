package org.berth.domain.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.berth.domain.RunTrigger;

/** The history of retention runs per project, and the rule that a project runs one at a time. */
public interface RetentionRunStore {

    /**
     * Begins a run of the project unless one runs: in one transaction that locks the project's
     * policy row, a run whose heartbeat is older than {@code staleBefore} is marked interrupted,
     * a live one refuses the start, and the history is cut to the newest {@link RetentionRun#HISTORY}.
     *
     * @throws org.berth.domain.RegistryException.Conflict naming the run that runs, or when the
     *         project has no policy
     */
    RetentionRun begin(String project, RunTrigger trigger, String startedBy, String startedByKind, String rules,
                       Instant now, Instant staleBefore);

    /** Writes the run's state and report, and its heartbeat ({@code now}). */
    void update(RetentionRun run, Instant now);

    Optional<RetentionRun> find(String project, long id);

    /** The project's runs, newest first. */
    List<RetentionRun> history(String project, int offset, int limit);

    long count(String project);

    /** Marks runs (of every project) whose heartbeat is older than {@code staleBefore} interrupted. */
    int interruptStale(Instant staleBefore, Instant now);
}
