package org.berth.domain.retention;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.berth.domain.RunTrigger;

/**
 * One retention run of a project as its history keeps it: who started it and how, its state, and
 * what it deleted.
 *
 * @param startedBy     the account that started it, or {@code system} for the schedule
 * @param startedByKind how that caller authenticated ({@code user}, {@code token}...), or {@code system}
 * @param endedAt       null while it runs
 */
public record RetentionRun(long id, String project, State state, RunTrigger trigger, String startedBy, String startedByKind,
                           Instant startedAt, Instant endedAt, Report report) {

    /** Runs kept per project; older ones are forgotten when a run begins. */
    public static final int HISTORY = 50;

    /**
     * What a run did.
     *
     * @param artifactsDeleted artifacts (digests) deleted, in all
     * @param tagsDeleted      tags that went with them
     * @param skipped          artifacts of the decision left in place because they changed before
     *                         their turn (a tag moved or added, an index now lists them, a rule now
     *                         protects them) or were already gone
     * @param freedBytes       bytes of blobs that no manifest anywhere references any more: what
     *                         garbage collection reclaims after the grace period
     * @param deleted          the first {@link #MAX_ITEMS} deletions
     * @param errors           the first {@link #MAX_ERRORS} errors
     * @param gcRun            the garbage collection run it started ({@code run_gc}), or null
     * @param rules            the fingerprint of the rules it applied
     */
    public record Report(long artifactsDeleted, long tagsDeleted, long skipped, long freedBytes, List<Deletion> deleted,
                         List<String> errors, long errorCount, Long gcRun, String rules) {

        public static final int MAX_ITEMS = 1_000;
        public static final int MAX_ERRORS = 20;

        public Report {
            deleted = List.copyOf(deleted.size() > MAX_ITEMS ? deleted.subList(0, MAX_ITEMS) : deleted);
            errors = List.copyOf(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }

        public static Report empty(String rules) {
            return new Report(0, 0, 0, 0, List.of(), List.of(), 0, null, rules);
        }
    }

    /** One artifact a run deleted, with the tags that went with it. */
    public record Deletion(String repository, String digest, List<String> tags) {
        public Deletion {
            tags = List.copyOf(tags);
        }
    }

    public enum State {
        RUNNING, SUCCEEDED, FAILED,
        /** Its server stopped while it ran; what it deleted stays deleted. */
        INTERRUPTED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(String jsonName) {
            return valueOf(jsonName.toUpperCase(Locale.ROOT));
        }
    }

    public boolean running() {
        return state == State.RUNNING;
    }
}
