package org.berth.application.replication;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.domain.replication.ReplicationExecutionStore;
import org.berth.domain.replication.ReplicationRuleStore;

/**
 * Runs replication executions (issue 21), never from a request: a periodic task of the
 * container's managed executor (as the webhook, garbage collection and retention workers) that
 * <ul>
 * <li>claims pending executions in the database under a lease ({@link #LEASE}) and runs at most
 *     {@link #MAX_RUNNING} at once on this node, each on a container thread of its own (from the
 *     managed thread factory), renewing their leases and recording their progress every tick;</li>
 * <li>claims a running execution whose lease lapsed (its node was killed) and resumes it, at most
 *     {@link #MAX_RESUMES} times, after which it is failed "interrupted: Berth stopped": no
 *     execution stays "running" for ever;</li>
 * <li>starts cron rules when their occurrence comes (one node per occurrence: the rule's
 *     {@code next_cron_at} moves by a conditional UPDATE).</li>
 * </ul>
 */
@ApplicationScoped
public class ReplicationWorker {

    private static final Logger LOG = Logger.getLogger(ReplicationWorker.class.getName());

    /** This node's name in {@code claimed_by}: new at every start, so a restarted node never owns old claims. */
    static final String NODE = UUID.randomUUID().toString();
    static final long TICK_MILLIS = 1_000;
    /** How long a claim holds without renewal: a killed node's execution is resumed this long after. */
    static final Duration LEASE = Duration.ofSeconds(30);
    static final int MAX_RESUMES = 3;
    static final int MAX_RUNNING = 2;
    static final Duration CRON_EVERY = Duration.ofSeconds(10);

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Container threads (JPA and JTA work on them) for the executions themselves. */
    @Resource
    ManagedThreadFactory threads;

    @Inject
    ReplicationRuleStore rules;

    @Inject
    ReplicationExecutionStore store;

    @Inject
    ExecutionRunner runner;

    @Inject
    ReplicationService service;

    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile long cronAt;
    private ScheduledFuture<?> task;

    synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        task = scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopped) {
        stopping = true;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    void tick() {
        try {
            Instant now = Instant.now();
            if (!running.isEmpty()) {
                store.renew(List.copyOf(running), NODE, now.plus(LEASE));
                runner.flush();
                runner.watchStops();
            }
            if (System.currentTimeMillis() - cronAt > CRON_EVERY.toMillis()) {
                cronAt = System.currentTimeMillis();
                cron(now);
            }
            claim(now);
        } catch (RuntimeException | Error e) {
            // thrown on, it would end the schedule for good
            LOG.log(Level.WARNING, "replication: the worker's tick failed; trying again in a second", e);
        }
    }

    private void claim(Instant now) {
        if (stopping || running.size() >= MAX_RUNNING) {
            return;
        }
        for (Long id : store.claimable(now, 10)) {
            if (stopping || running.size() >= MAX_RUNNING) {
                return;
            }
            Optional<ReplicationExecutionStore.Claim> claim = store.claim(id, NODE, now, now.plus(LEASE), MAX_RESUMES);
            if (claim.isEmpty()) {
                continue;
            }
            running.add(id);
            if (claim.get().resumed()) {
                LOG.info(() -> "replication: resuming execution " + id + " of rule '" + claim.get().execution().rule()
                        + "', whose node stopped");
            }
            try {
                // a thread of its own: the scheduler may have one thread, which must stay free for the
                // ticks that renew the leases (a long execution must not lose its claim to another node)
                Thread thread = threads.newThread(() -> {
                    try {
                        runner.run(claim.get(), NODE, () -> !stopping);
                    } catch (RuntimeException | Error e) {
                        // its lease lapses and it is resumed (at most MAX_RESUMES times)
                        LOG.log(Level.WARNING, "replication: execution " + id + " broke off", e);
                    } finally {
                        running.remove(id);
                    }
                });
                thread.setName("berth-replication-" + id);
                thread.start();
            } catch (RuntimeException e) {
                running.remove(id);
                throw e;
            }
        }
    }

    private void cron(Instant now) {
        for (ReplicationRuleStore.CronDue due : rules.cronDue(now)) {
            Instant next = due.rule().trigger().schedule()
                    .flatMap(s -> s.next(ZonedDateTime.now(ZoneId.systemDefault())))
                    .map(z -> z.toInstant().truncatedTo(ChronoUnit.SECONDS)).orElse(null);
            if (rules.advanceCron(due.rule().name(), due.at(), next)) {
                service.startScheduled(due.rule().name());
            }
        }
    }

}
