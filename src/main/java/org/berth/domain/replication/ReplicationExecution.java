package org.berth.domain.replication;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One run of a rule (issue 21), with its progress as its tasks record it.
 *
 * @param retryOf    the execution whose failed tasks this one repeats, or null
 * @param scope      what an event's execution is narrowed to; empty for a whole run
 * @param bytesTotal bytes of the blobs to send, as known so far (grows while artifacts are resolved)
 * @param bytesDone  bytes sent so far
 * @param error      why the execution as a whole failed (listing the source failed, Berth stopped)
 */
public record ReplicationExecution(long id, String rule, Trigger trigger, Long retryOf, Status status,
                                   Optional<Scope> scope, TaskCounts tasks, long bytesTotal, long bytesDone,
                                   String error, boolean stopRequested, Instant createdAt, Instant startedAt,
                                   Instant finishedAt) {

    /** Executions kept per rule: older ones go with their tasks when a newer one ends. */
    public static final int KEEP_PER_RULE = 50;
    /** The longest error kept (the column's width). */
    public static final int MAX_ERROR = 1024;

    public enum Trigger {
        MANUAL, CRON, EVENT, RETRY;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Trigger of(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT));
        }
    }

    public enum Status {
        PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == STOPPED;
        }

        public static Status of(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One artifact an event execution is about: copy {@code repository:reference} (a push), or
     * delete it at the destination (a deletion, with {@code replicate_deletion}).
     */
    public record Scope(ReplicationTask.Operation operation, String repository, String reference) {
    }

    /** How many of its tasks are in each state. */
    public record TaskCounts(long pending, long running, long succeeded, long failed, long skipped) {

        public static final TaskCounts NONE = new TaskCounts(0, 0, 0, 0, 0);

        public long total() {
            return pending + running + succeeded + failed + skipped;
        }
    }
}
