package org.berth.application.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.domain.RunTrigger;
import org.berth.application.AuditService;
import org.berth.domain.AuditEntry;
import org.berth.domain.CronSchedule;
import org.berth.domain.RegistryException;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionPolicyStore;
import org.berth.domain.retention.RetentionRun;
import org.berth.domain.retention.RetentionRunStore;

/**
 * Where retention runs run: each run is a task of the container's managed executor (never the
 * request's thread), and one periodic task starts the runs the projects' schedules make due, as
 * the garbage collector's worker does (no EJB timer). Policies with a schedule are read again
 * every {@value #RELOAD_MILLIS} ms and right after a policy is saved here. When it ends, each run
 * is one entry in the audit log.
 */
@ApplicationScoped
public class RetentionWorker {

    private static final Logger LOG = Logger.getLogger(RetentionWorker.class.getName());

    static final long TICK_MILLIS = 1_000;
    static final long RELOAD_MILLIS = 30_000;
    /** A run whose row was not written for this long lost its server (a run writes it every second while it deletes). */
    static final Duration STALE = Duration.ofMinutes(2);
    static final long STOP_WAIT_MILLIS = 5_000;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    RetentionRunner runner;

    @Inject
    RetentionRunStore runs;

    @Inject
    RetentionPolicyStore policies;

    @Inject
    AuditService audit;

    private record Due(String cron, ZonedDateTime next) {
    }

    private final Map<String, Due> schedules = new ConcurrentHashMap<>();
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile long reloadedAt;
    private boolean recovered;
    private ScheduledFuture<?> task;

    synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        task = scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopped) {
        stopping = true;
        synchronized (this) {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        while (!live.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs a begun run on the executor. */
    void submit(RetentionRun begun, RetentionPolicy policy, String sourceIp) {
        live.add(begun.id());
        scheduler.submit(() -> run(begun, policy, sourceIp));
    }

    /** Reads the schedules again at the next tick (a policy was saved). */
    void reload() {
        reloadedAt = 0;
    }

    /** When the project's schedule fires next; empty without one (or before the worker read it). */
    Optional<ZonedDateTime> next(String project) {
        return Optional.ofNullable(schedules.get(project)).map(Due::next);
    }

    private void tick() {
        try {
            if (!recovered) {
                Instant now = Instant.now();
                int stale = runs.interruptStale(now.minus(STALE), now);
                if (stale > 0) {
                    LOG.info(() -> stale + " retention run(s) lost their server and are marked interrupted");
                }
                recovered = true;
            }
            if (System.currentTimeMillis() - reloadedAt >= RELOAD_MILLIS) {
                readSchedules();
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
            for (Map.Entry<String, Due> e : schedules.entrySet()) {
                if (e.getValue().next() != null && !now.isBefore(e.getValue().next())) {
                    schedules.put(e.getKey(), new Due(e.getValue().cron(),
                            CronSchedule.parse(e.getValue().cron()).next(now).orElse(null)));
                    startScheduled(e.getKey());
                }
            }
        } catch (RuntimeException | Error e) {
            // thrown on, it would end the schedule for good
            LOG.log(Level.WARNING, "retention: the worker's tick failed; trying again in a second", e);
        }
    }

    private void readSchedules() {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
        Map<String, Due> read = new HashMap<>();
        for (RetentionPolicy p : policies.scheduled()) {
            Due known = schedules.get(p.project());
            read.put(p.project(), known != null && known.cron().equals(p.schedule()) ? known
                    : new Due(p.schedule(), CronSchedule.parse(p.schedule()).next(now).orElse(null)));
        }
        schedules.keySet().retainAll(read.keySet());
        schedules.putAll(read);
        reloadedAt = System.currentTimeMillis();
    }

    private void startScheduled(String project) {
        Optional<RetentionPolicy> policy = policies.find(project).filter(RetentionPolicy::enabled);
        if (policy.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        try {
            RetentionRun begun = runs.begin(project, RunTrigger.SCHEDULE, "system", AuditEntry.Kind.SYSTEM.jsonName(),
                    RetentionPolicy.fingerprint(policy.get().rules()), now, now.minus(STALE));
            LOG.info(() -> "retention run " + begun.id() + " of project '" + project + "' started by the schedule");
            submit(begun, policy.get(), null);
        } catch (RegistryException.Conflict | RegistryException.NotFound e) {
            LOG.info(() -> "retention: the scheduled run of project '" + project + "' is skipped, " + e.getMessage());
        }
    }

    private void run(RetentionRun begun, RetentionPolicy policy, String sourceIp) {
        RetentionRun result;
        try {
            result = runner.execute(begun, policy, sourceIp, () -> stopping);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "retention run " + begun.id() + " could not record its end", e);
            return;
        } finally {
            live.remove(begun.id());
        }
        try {
            audit.record(auditEntry(result, sourceIp));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention run " + result.id() + ": its audit entry failed", e);
        }
        LOG.info(() -> "retention run " + result.id() + " of project '" + result.project() + "': " + summary(result));
    }

    static AuditEntry auditEntry(RetentionRun run, String sourceIp) {
        AuditEntry.Kind kind;
        try {
            kind = AuditEntry.Kind.valueOf(run.startedByKind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            kind = AuditEntry.Kind.SYSTEM;
        }
        return new AuditEntry(null, run.endedAt() == null ? Instant.now() : run.endedAt(), run.startedBy(), kind, sourceIp,
                AuditEntry.Operation.RETENTION_RUN, "retention", run.project() + " run " + run.id(), run.project(),
                run.state() == RetentionRun.State.SUCCEEDED, summary(run));
    }

    /** One line: trigger, state, what went. */
    static String summary(RetentionRun run) {
        RetentionRun.Report r = run.report();
        return run.trigger().jsonName() + " run, " + run.state().jsonName() + ": deleted " + r.artifactsDeleted()
                + " artifacts (" + r.tagsDeleted() + " tags), skipped " + r.skipped() + ", " + r.freedBytes()
                + " bytes left to garbage collection" + (r.gcRun() == null ? "" : ", garbage collection run " + r.gcRun())
                + (r.errorCount() > 0 ? "; " + r.errorCount() + " errors, first: " + r.errors().get(0) : "");
    }
}
