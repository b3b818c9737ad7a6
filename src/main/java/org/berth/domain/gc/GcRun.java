package org.berth.domain.gc;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.berth.domain.RunTrigger;

/**
 * One garbage collection run as its history keeps it: who started it and how, its state, where it
 * is (phase and counts so far), and what it deleted (or, dry, would delete).
 *
 * @param id              assigned when the run begins
 * @param startedBy       the account (or robot) that started it, or {@code system} for the schedule
 * @param startedByKind   how that caller authenticated ({@code user}, {@code robot}, {@code token}), or {@code system}
 * @param endedAt         null while it runs
 * @param cancelRequested whether someone asked it to stop
 */
public record GcRun(long id, State state, RunTrigger trigger, GcOptions options, String startedBy, String startedByKind,
                    Instant startedAt, Instant endedAt, boolean cancelRequested, Progress progress, Report report) {

    /** Where a run is: the phase, how far into it, and the counts of the whole run so far. */
    public record Progress(String phase, long phaseScanned, long phaseTotal, long scanned, long deleted, long freedBytes) {
        public static Progress starting() {
            return new Progress(Phase.STARTING, 0, 0, 0, 0, 0);
        }
    }

    /**
     * What the run deleted (would delete, when dry), by kind, with the repositories it came from.
     *
     * @param repositories    the repositories with the most bytes, at most {@link #MAX_REPOSITORIES}
     * @param repositoryCount how many repositories there were in all
     * @param errors          the first {@link #MAX_ERRORS} errors
     * @param errorCount      how many errors there were in all
     */
    public record Report(Map<GarbageKind, Tally> tallies, List<RepositoryTally> repositories, int repositoryCount,
                         List<String> errors, int errorCount, List<PhaseTime> phases) {

        public static final int MAX_REPOSITORIES = 100;
        public static final int MAX_ERRORS = 20;

        public static Report empty() {
            return new Report(emptyTallies(), List.of(), 0, List.of(), 0, List.of());
        }

        public static Map<GarbageKind, Tally> emptyTallies() {
            Map<GarbageKind, Tally> tallies = new EnumMap<>(GarbageKind.class);
            for (GarbageKind kind : GarbageKind.values()) {
                tallies.put(kind, Tally.NONE);
            }
            return tallies;
        }

        public Tally tally(GarbageKind kind) {
            return tallies.getOrDefault(kind, Tally.NONE);
        }
    }

    /** How many things and how many bytes of them. */
    public record Tally(long count, long bytes) {
        public static final Tally NONE = new Tally(0, 0);
    }

    /** What one repository lost: untagged manifests, links to blobs none of its manifests references, upload sessions. */
    public record RepositoryTally(String repository, long manifests, long manifestBytes, long links, long linkBytes,
                                  long uploads, long uploadBytes) {
        public long bytes() {
            return manifestBytes + linkBytes + uploadBytes;
        }
    }

    /** How long a phase took and how many things it looked at. */
    public record PhaseTime(String phase, long millis, long scanned) {
    }

    /** The phases of a run, in order. */
    public static final class Phase {
        public static final String STARTING = "starting";
        public static final String UPLOADS = "uploads";
        public static final String MANIFESTS = "manifests";
        public static final String LINKS = "links";
        public static final String BLOBS = "blobs";
        public static final String ORPHANS = "orphans";
        public static final String DONE = "done";

        private Phase() {
        }
    }

    public enum State {
        RUNNING, SUCCEEDED, FAILED, CANCELLED,
        /** Its server stopped (or died) while it ran; the next run finishes its work. */
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
