package org.berth.application.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.gc.GcService;
import org.berth.domain.Digest;
import org.berth.domain.gc.GcOptions;
import org.berth.domain.gc.GcRun;
import org.berth.domain.retention.RetentionInventory;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionRun;
import org.berth.domain.retention.RetentionRunStore;
import org.berth.domain.retention.Verdict;

/**
 * One retention run, on a worker thread: decide now (the plan a preview shows), delete each
 * condemned artifact in a transaction of its own ({@link RetentionSteps}, which re-checks it), write
 * the run's row at least every second (its heartbeat), count the bytes left to garbage collection,
 * and start garbage collection when the policy asks ({@code run_gc}) and none runs.
 */
@ApplicationScoped
public class RetentionRunner {

    private static final Logger LOG = Logger.getLogger(RetentionRunner.class.getName());
    private static final long WRITE_EVERY_MILLIS = 1_000;

    @Inject
    RetentionPlanner planner;

    @Inject
    RetentionSteps steps;

    @Inject
    RetentionInventory inventory;

    @Inject
    RetentionRunStore runs;

    @Inject
    GcService gc;

    /** A run's counts while it runs. */
    private static final class Tally {
        long artifacts;
        long tags;
        long skipped;
        long errorCount;
        final List<RetentionRun.Deletion> deleted = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        RetentionRun.Report report(long freed, Long gcRun, String rules) {
            return new RetentionRun.Report(artifacts, tags, skipped, freed, deleted, errors, errorCount, gcRun, rules);
        }

        void error(String message) {
            errorCount++;
            if (errors.size() < RetentionRun.Report.MAX_ERRORS) {
                errors.add(message);
            }
        }
    }

    /**
     * Runs {@code begun} with the policy's rules to its end and records it.
     *
     * @param stopping asked between deletions: true when Berth stops (the run ends interrupted)
     */
    public RetentionRun execute(RetentionRun begun, RetentionPolicy policy, String sourceIp, BooleanSupplier stopping) {
        Tally tally = new Tally();
        Set<Digest> freedCandidates = new HashSet<>();
        RetentionRun.State state = RetentionRun.State.SUCCEEDED;
        Long gcRun = null;
        long written = System.currentTimeMillis();
        try {
            RetentionPlan plan = planner.plan(begun.project(), policy.rules(), Instant.now());
            for (RetentionPlan.Repository repository : plan.repositories()) {
                Set<Digest> deleted = new HashSet<>();
                for (Verdict v : RetentionPlanner.deletionOrder(repository)) {
                    if (stopping.getAsBoolean()) {
                        state = RetentionRun.State.INTERRUPTED;
                        break;
                    }
                    delete(repository, v, deleted, tally, freedCandidates);
                    if (System.currentTimeMillis() - written >= WRITE_EVERY_MILLIS) {
                        runs.update(running(begun, tally.report(0, null, plan.fingerprint())), Instant.now());
                        written = System.currentTimeMillis();
                    }
                }
                if (state == RetentionRun.State.INTERRUPTED) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention run " + begun.id() + " of project '" + begun.project() + "' failed", e);
            tally.error("the run failed: " + e);
            state = RetentionRun.State.FAILED;
        }
        long freed = 0;
        try {
            freed = inventory.unreferencedWithout(freedCandidates, Set.of()).values().stream().mapToLong(Long::longValue).sum();
        } catch (RuntimeException e) {
            tally.error("counting the freed bytes failed: " + e);
        }
        if (policy.runGc() && tally.artifacts > 0 && state != RetentionRun.State.INTERRUPTED) {
            gcRun = gc.startIfIdle(new GcOptions(false, false), begun.trigger(), begun.startedBy(), begun.startedByKind(), sourceIp)
                    .map(GcRun::id).orElse(null);
            if (gcRun == null) {
                tally.error("garbage collection was not started: a run is running; it or the next one reclaims the bytes");
            }
        }
        RetentionRun ended = new RetentionRun(begun.id(), begun.project(), state, begun.trigger(), begun.startedBy(),
                begun.startedByKind(), begun.startedAt(), Instant.now(), tally.report(freed, gcRun, begun.report().rules()));
        steps.end(ended);
        return ended;
    }

    private void delete(RetentionPlan.Repository repository, Verdict v, Set<Digest> deleted, Tally tally, Set<Digest> freedCandidates) {
        try {
            RetentionSteps.Result result = steps.delete(repository.name(), v.artifact(), deleted);
            if (result.outcome() == RetentionSteps.Outcome.DELETED) {
                deleted.add(v.artifact().digest());
                freedCandidates.addAll(v.artifact().blobs());
                tally.artifacts++;
                tally.tags += result.tags().size();
                if (tally.deleted.size() < RetentionRun.Report.MAX_ITEMS) {
                    tally.deleted.add(new RetentionRun.Deletion(repository.name().value(), v.artifact().digest().toString(),
                            result.tags()));
                }
            } else {
                tally.skipped++;
            }
        } catch (RuntimeException e) {
            tally.error(repository.name() + "@" + v.artifact().digest() + ": " + e.getMessage());
        }
    }

    private static RetentionRun running(RetentionRun begun, RetentionRun.Report report) {
        return new RetentionRun(begun.id(), begun.project(), RetentionRun.State.RUNNING, begun.trigger(), begun.startedBy(),
                begun.startedByKind(), begun.startedAt(), null, report);
    }
}
