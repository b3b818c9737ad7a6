package org.berth.domain.replication;

import java.time.Instant;
import java.util.Locale;

/**
 * One artifact of an execution: a tag (or a digest) of a source repository, copied with
 * everything it needs (children, config and layers, referrers) or deleted at the destination.
 *
 * @param tag     the tag, or null for an artifact named by digest
 * @param digest  the source's digest once resolved (null before)
 * @param message the error of a failed task, or why a skipped one was skipped
 */
public record ReplicationTask(long id, long execution, Operation operation, String sourceRepository,
                              String destinationRepository, String tag, String digest, Status status, long bytes,
                              Long durationMs, String message, Instant startedAt, Instant finishedAt) {

    public static final int MAX_MESSAGE = 1024;

    public enum Operation {
        COPY, DELETE;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Operation of(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT));
        }
    }

    public enum Status {
        PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status of(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT));
        }
    }

    /** A task to write: what {@link ReplicationExecutionStore#plan} takes. */
    public record Planned(Operation operation, String sourceRepository, String destinationRepository, String tag,
                          String digest) {
    }

    /** {@code team/app:v1} or {@code team/app@sha256:...}: how the API names either end. */
    public static String name(String repository, String tag, String digest) {
        if (tag != null) {
            return repository + ":" + tag;
        }
        return digest == null ? repository : repository + "@" + digest;
    }
}
