package org.berth.domain.replication;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Replication executions and their tasks (V15). A node owns an execution through a claim
 * with a lease ({@link #claim}, {@link #renew}), as webhook deliveries are owned: an execution
 * whose node died is claimed again once its lease lapsed. Calls that a worker makes while it runs
 * an execution each commit on their own, so progress is visible while it runs.
 */
public interface ReplicationExecutionStore {

    /** Writes a pending execution; joins the caller's transaction (a push's, for the event trigger). */
    long createExecution(String rule, ReplicationExecution.Trigger trigger, Long retryOf,
                         Optional<ReplicationExecution.Scope> scope, Instant now);

    Optional<ReplicationExecution> execution(long id);

    /** Newest first; {@code rule} null for all rules. */
    List<ReplicationExecution> executions(String rule, int offset, int limit);

    long countExecutions(String rule);

    Optional<ReplicationExecution> lastExecution(String rule);

    /** Whether the rule has a pending or running execution (not an event's, which are many and short). */
    boolean active(String rule);

    /** Asks a pending or running execution to stop; a pending one is stopped at once. @return false when it had ended */
    boolean requestStop(long id, Instant now);

    boolean stopRequested(long id);

    /** Pending executions, and running ones whose lease lapsed, oldest first. */
    List<Long> claimable(Instant now, int limit);

    /** What a claim got: the execution (now running) and whether it was resumed from a dead node. */
    record Claim(ReplicationExecution execution, boolean resumed) {
    }

    /**
     * Claims a pending execution, or a running one whose lease lapsed (at most {@code maxResumes}
     * times; then it is failed with "interrupted: Berth stopped"): a conditional UPDATE.
     */
    Optional<Claim> claim(long id, String node, Instant now, Instant until, int maxResumes);

    /** Extends this node's leases. */
    void renew(List<Long> ids, String node, Instant until);

    /** Writes the execution's tasks and marks it planned (one transaction; tasks of an earlier try are dropped). */
    void plan(long id, List<ReplicationTask.Planned> tasks);

    /** Whether the execution's tasks are all written. */
    boolean planned(long id);

    /**
     * Tasks a dead node left running go back to pending, and the byte counters to what the
     * finished tasks sent (what the dead node had begun is counted again when it is sent again).
     */
    void resetRunning(long id);

    /** The next pending tasks, in order. */
    List<ReplicationTask> pendingTasks(long id, int limit);

    void startTask(long task, Instant now);

    void finishTask(long task, ReplicationTask.Status status, String digest, long bytes, long durationMs, String message,
                    Instant now);

    /** Adds to the execution's byte counters. */
    void addBytes(long id, long total, long done);

    /** Ends the execution this node holds. */
    void finish(long id, String node, ReplicationExecution.Status status, String error, Instant now);

    /** Its tasks by id, of one status or all (null). */
    List<ReplicationTask> tasks(long id, ReplicationTask.Status status, int offset, int limit);

    long countTasks(long id, ReplicationTask.Status status);

    /** The tasks a retry repeats: failed ones, and those a stop left pending. At most {@code limit}. */
    List<ReplicationTask.Planned> unfinishedTasks(long id, int limit);

    /** Deletes the rule's finished executions beyond the newest {@code keep}. @return how many */
    int prune(String rule, int keep);

    /** The upload session a failed push of the blob left at the registry, if any. */
    Optional<String> upload(String registry, String repository, String digest);

    /** Keeps (or moves) the upload session of a blob being pushed. */
    void saveUpload(String registry, String repository, String digest, String location, Instant now);

    /** The blob is at the registry: its session is forgotten. */
    void forgetUpload(String registry, String repository, String digest);

    /** Forgets sessions not touched since {@code before}; returns how many. */
    int pruneUploads(Instant before);
}
