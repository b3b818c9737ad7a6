package org.berth.application.gc;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.RunTrigger;
import org.berth.application.AuditService;
import org.berth.application.Listing;
import org.berth.domain.RegistryException;
import org.berth.domain.gc.GcOptions;
import org.berth.domain.gc.GcRun;
import org.berth.domain.gc.GcRunStore;

/**
 * Garbage collection as the administration API and the portal drive it: start a run (one at a
 * time, across every server on the database), watch it, cancel it, read the history of the last
 * {@value GcRunner#HISTORY} runs. Who may is decided before these are called (system administrators).
 */
@ApplicationScoped
public class GcService {

    @Inject
    GcRunStore runs;

    @Inject
    GcWorker worker;

    @Inject
    GcSettings settings;

    @Inject
    AuditService audit;

    /**
     * The collector's settings and state.
     *
     * @param running the run that is running, if one is
     * @param last    the newest run that ended, if any
     */
    public record Status(Optional<GcRun> running, Optional<GcRun> last, Optional<String> schedule,
                         Optional<ZonedDateTime> nextScheduledRun, Duration grace, Duration uploadExpiry) {
    }

    /**
     * Begins a run for the current request's caller; it starts within a quarter of a second.
     *
     * @throws RegistryException.Conflict when a run is running
     */
    public GcRun start(GcOptions options) {
        AuditService.Actor actor = audit.currentActor()
                .orElseThrow(() -> new IllegalStateException("a garbage collection run is started by a signed-in caller"));
        return begin(options, RunTrigger.MANUAL, actor.username(), actor.kind().jsonName(), actor.sourceIp());
    }

    /**
     * Begins a run on behalf of a background job (a retention run with {@code run_gc}), unless one
     * runs: then it is left to that run, and empty is answered.
     *
     * @param startedBy who started the job ({@code system} for a schedule), as its own record says
     */
    public Optional<GcRun> startIfIdle(GcOptions options, RunTrigger trigger, String startedBy, String startedByKind,
                                       String sourceIp) {
        try {
            return Optional.of(begin(options, trigger, startedBy, startedByKind, sourceIp));
        } catch (RegistryException.Conflict e) {
            return Optional.empty();
        }
    }

    private GcRun begin(GcOptions options, RunTrigger trigger, String startedBy, String startedByKind, String sourceIp) {
        Instant now = Instant.now();
        GcRun begun = runs.begin(options, trigger, startedBy, startedByKind, now, now.minus(GcWorker.STALE));
        worker.submit(new RunState(begun, sourceIp));
        return begun;
    }

    public Status status() {
        Optional<GcRun> running = runs.running().map(this::fresh);
        Optional<GcRun> last = runs.history(0, 2).stream().filter(r -> !r.running()).findFirst();
        return new Status(running, last, worker.schedule().map(Object::toString), worker.nextScheduled(),
                settings.grace(), settings.uploadExpiry());
    }

    /** @throws RegistryException.NotFound when no such run is in the history */
    public GcRun get(long id) {
        return runs.find(id).map(this::fresh)
                .orElseThrow(() -> new RegistryException.NotFound("garbage collection run " + id + " not found", String.valueOf(id)));
    }

    /** The history, newest first. */
    public Listing<GcRun> history(int offset, int limit) {
        List<GcRun> page = runs.history(offset, limit).stream().map(this::fresh).toList();
        return new Listing<>(page, runs.count());
    }

    /**
     * Asks the running run to stop; it does within a second, leaving everything consistent (each
     * deletion is a transaction of its own).
     *
     * @throws RegistryException.Conflict when no run is running
     */
    public GcRun cancel() {
        GcRun run = runs.requestCancel()
                .orElseThrow(() -> new RegistryException.Conflict("no garbage collection run is running", null));
        worker.live(run.id()).ifPresent(r -> r.stop(GcRun.State.CANCELLED));
        return fresh(run);
    }

    /** A run this server runs, as it stands in memory (fresher than its row, written every half second). */
    private GcRun fresh(GcRun stored) {
        if (!stored.running()) {
            return stored;
        }
        return worker.live(stored.id()).map(RunState::snapshot).map(s -> s.cancelRequested() || !stored.cancelRequested() ? s
                : new GcRun(s.id(), s.state(), s.trigger(), s.options(), s.startedBy(), s.startedByKind(), s.startedAt(),
                        s.endedAt(), true, s.progress(), s.report())).orElse(stored);
    }
}
