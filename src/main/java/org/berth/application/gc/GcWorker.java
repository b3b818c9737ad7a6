package org.berth.application.gc;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.domain.RunTrigger;
import org.berth.application.AuditService;
import org.berth.domain.AuditEntry;
import org.berth.domain.CronSchedule;
import org.berth.domain.RegistryException;
import org.berth.domain.gc.GarbageKind;
import org.berth.domain.gc.GcOptions;
import org.berth.domain.gc.GcRun;
import org.berth.domain.gc.GcRunStore;

/**
 * Where runs run: one task of the container's managed scheduled executor, started with the
 * application and stopped with it (never from a request thread, whose context a long task must not
 * inherit), looks four times a second for a run begun on this server or due by {@code BERTH_GC_SCHEDULE},
 * and runs it. No EJB timer: Berth does without the EJB container. When it ends, each run is
 * counted in the metrics and recorded in the audit log as one entry.
 */
@ApplicationScoped
public class GcWorker {

    private static final Logger LOG = Logger.getLogger(GcWorker.class.getName());

    /** How often the task looks for work: a run begun through the API starts within this (a look at a queue). */
    static final long TICK_MILLIS = 250;
    /** A run whose heartbeat is older than this lost its server. */
    static final Duration STALE = Duration.ofSeconds(15);
    /** How long stopping Berth waits for a run to record that it was interrupted. */
    static final long STOP_WAIT_MILLIS = 5_000;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    GcRunner runner;

    @Inject
    GcRunStore runs;

    @Inject
    GcSettings settings;

    @Inject
    GcMetrics metrics;

    @Inject
    AuditService audit;

    @Inject
    Event<GcRun> ended;

    private final ConcurrentLinkedQueue<RunState> pending = new ConcurrentLinkedQueue<>();
    private volatile RunState live;
    private volatile ZonedDateTime nextScheduled;
    private Optional<CronSchedule> schedule = Optional.empty();
    private boolean recovered;
    private ScheduledFuture<?> task;

    synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        schedule = settings.schedule();
        nextScheduled = schedule.flatMap(s -> s.next(ZonedDateTime.now(ZoneId.systemDefault()))).orElse(null);
        schedule.ifPresent(s -> LOG.info(() -> "garbage collection scheduled (" + s + "); next run " + nextScheduled));
        // fixed delay: a run blocks the task, so ticks never pile up behind it
        task = scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
        synchronized (this) {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }
        RunState running = live;
        if (running != null) {
            running.stop(GcRun.State.INTERRUPTED);
            long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
            while (live == running && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Queues a run begun on this server for the task. */
    void submit(RunState run) {
        pending.add(run);
    }

    /** The run this server is running (or about to run), if any. */
    Optional<RunState> live(long id) {
        RunState running = live;
        if (running != null && running.id() == id) {
            return Optional.of(running);
        }
        return pending.stream().filter(r -> r.id() == id).findFirst();
    }

    /** When the schedule fires next; empty without a schedule. */
    Optional<ZonedDateTime> nextScheduled() {
        return Optional.ofNullable(nextScheduled);
    }

    Optional<CronSchedule> schedule() {
        return schedule;
    }

    private void tick() {
        try {
            if (!recovered) {
                Instant now = Instant.now();
                int stale = runs.interruptStale(now.minus(STALE), now);
                if (stale > 0) {
                    LOG.info(() -> stale + " garbage collection run(s) lost their server and are marked interrupted;"
                            + " the next run finishes their work");
                }
                recovered = true;
            }
            RunState next = pending.poll();
            if (next == null) {
                next = dueBySchedule();
            }
            if (next != null) {
                run(next);
            }
        } catch (RuntimeException | Error e) {
            // thrown on, it would end the schedule for good
            LOG.log(Level.WARNING, "garbage collection: the worker's tick failed; trying again in a second", e);
        }
    }

    private RunState dueBySchedule() {
        ZonedDateTime due = nextScheduled;
        if (due == null || ZonedDateTime.now(due.getZone()).isBefore(due)) {
            return null;
        }
        nextScheduled = schedule.flatMap(s -> s.next(ZonedDateTime.now(ZoneId.systemDefault()))).orElse(null);
        Instant now = Instant.now();
        try {
            GcRun begun = runs.begin(new GcOptions(false, settings.scheduledDeleteUntagged()), RunTrigger.SCHEDULE,
                    "system", AuditEntry.Kind.SYSTEM.jsonName(), now, now.minus(STALE));
            LOG.info(() -> "garbage collection run " + begun.id() + " started by the schedule; next " + nextScheduled);
            return new RunState(begun, null);
        } catch (RegistryException.Conflict e) {
            LOG.info(() -> "garbage collection: the scheduled run is skipped, " + e.getMessage());
            return null;
        }
    }

    private void run(RunState run) {
        live = run;
        GcRun result;
        try {
            result = runner.execute(run);
        } finally {
            live = null;
        }
        try {
            metrics.ended(result);
            audit.record(auditEntry(result, run.sourceIp()));
            ended.fire(result);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "garbage collection run " + result.id() + ": its metrics or audit entry failed", e);
        }
        GcRun.Report r = result.report();
        LOG.info(() -> "garbage collection run " + result.id() + (result.options().dryRun() ? " (dry run)" : "") + " "
                + result.state().jsonName() + ": " + summary(result) + (r.errorCount() > 0 ? "; first error: " + r.errors().get(0) : ""));
    }

    static AuditEntry auditEntry(GcRun run, String sourceIp) {
        AuditEntry.Kind kind;
        try {
            kind = AuditEntry.Kind.valueOf(run.startedByKind().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            kind = AuditEntry.Kind.SYSTEM;
        }
        return new AuditEntry(null, run.endedAt() == null ? Instant.now() : run.endedAt(), run.startedBy(), kind, sourceIp,
                AuditEntry.Operation.GC, "gc", "run " + run.id(), null, run.state() == GcRun.State.SUCCEEDED,
                summary(run));
    }

    /** One line: options, state, and what went (or would go) by kind. */
    static String summary(GcRun run) {
        StringBuilder sb = new StringBuilder();
        sb.append(run.options().dryRun() ? "dry run" : "run")
                .append(run.options().deleteUntagged() ? ", delete_untagged" : "")
                .append(", ").append(run.state().jsonName()).append(": ")
                .append(run.options().dryRun() ? "would delete " : "deleted ");
        boolean first = true;
        for (GarbageKind kind : GarbageKind.values()) {
            GcRun.Tally t = run.report().tally(kind);
            sb.append(first ? "" : ", ").append(kind.jsonName()).append(' ').append(t.count()).append(" (").append(t.bytes()).append(" bytes)");
            first = false;
        }
        sb.append("; ").append(run.options().dryRun() ? "would free " : "freed ").append(run.progress().freedBytes()).append(" bytes");
        if (run.report().errorCount() > 0) {
            sb.append("; ").append(run.report().errorCount()).append(" errors");
        }
        return sb.toString();
    }
}
