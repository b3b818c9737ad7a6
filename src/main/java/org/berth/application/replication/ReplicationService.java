package org.berth.application.replication;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.Listing;
import org.berth.application.proxy.RegistryEndpointService;
import org.berth.domain.RegistryException;
import org.berth.domain.replication.ReplicationExecution;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationExecutionStore;
import org.berth.domain.replication.ReplicationRuleStore;
import org.berth.domain.replication.ReplicationTask;

/**
 * Replication rules and their executions (issue 21), for system administrators: rules are
 * created, changed and deleted; an execution is started (manual), repeated for its failed tasks
 * only (retry) or asked to stop. Starting writes a pending execution; the
 * {@link ReplicationWorker} claims and runs it, never the request.
 */
@ApplicationScoped
@Transactional
public class ReplicationService {

    /** Rules Berth keeps: every list has a cap. */
    static final int MAX_RULES = 500;

    @Inject
    ReplicationRuleStore rules;

    @Inject
    ReplicationExecutionStore store;

    @Inject
    RegistryEndpointService endpoints;

    /** A rule with its newest execution, as the API shows it. */
    public record RuleView(ReplicationRule rule, Optional<ReplicationExecution> lastExecution) {
    }

    /**
     * @throws RegistryException.InvalidRequest when the registry endpoint does not exist
     * @throws RegistryException.Conflict when the name is taken
     */
    public RuleView create(ReplicationRule draft) {
        requireRegistry(draft.registry());
        if (rules.count() >= MAX_RULES) {
            throw new RegistryException.Conflict("Berth has " + MAX_RULES + " replication rules: delete one first", draft.name());
        }
        Instant now = now();
        ReplicationRule rule = stamped(draft, now, now);
        if (!rules.create(rule, nextCron(rule))) {
            throw new RegistryException.Conflict("replication rule '" + rule.name() + "' already exists", rule.name());
        }
        return new RuleView(rule, Optional.empty());
    }

    /** @throws RegistryException.NotFound when there is no rule of that name */
    public RuleView get(String name) {
        ReplicationRule rule = rule(name);
        return new RuleView(rule, store.lastExecution(name));
    }

    /** Rules by name, with their last executions. */
    public Listing<RuleView> list(int offset, int limit) {
        List<RuleView> views = rules.list(offset, limit).stream()
                .map(r -> new RuleView(r, store.lastExecution(r.name()))).toList();
        return new Listing<>(views, rules.count());
    }

    /**
     * Replaces the rule's fields (not its name, nor its creation time).
     *
     * @throws RegistryException.NotFound when there is no rule of that name
     */
    public RuleView update(ReplicationRule changed) {
        ReplicationRule current = rule(changed.name());
        if (!current.registry().equals(changed.registry())) {
            requireRegistry(changed.registry());
        }
        ReplicationRule rule = stamped(changed, current.createdAt(), now());
        if (!rules.update(rule, nextCron(rule))) {
            throw notFound(rule.name());
        }
        return new RuleView(rule, store.lastExecution(rule.name()));
    }

    /**
     * Deletes the rule with its executions and tasks.
     *
     * @throws RegistryException.Conflict while one of its executions is pending or running
     */
    public void delete(String name) {
        locked(name);
        if (store.active(name)) {
            throw new RegistryException.Conflict("replication rule '" + name
                    + "' has an execution pending or running: stop it first", name);
        }
        if (!rules.delete(name)) {
            throw notFound(name);
        }
    }

    /**
     * Starts a manual execution: pending until a node's worker claims it.
     *
     * @throws RegistryException.Conflict while one of the rule's executions is pending or running
     */
    public ReplicationExecution start(String name) {
        locked(name);
        if (store.active(name)) {
            throw new RegistryException.Conflict("replication rule '" + name + "' is running already", name);
        }
        return execution(store.createExecution(name, ReplicationExecution.Trigger.MANUAL, null, Optional.empty(), now()));
    }

    /** The cron trigger's start: nothing when the rule is running already (that occurrence is let go). */
    void startScheduled(String name) {
        if (rules.lock(name) && !store.active(name)) {
            store.createExecution(name, ReplicationExecution.Trigger.CRON, null, Optional.empty(), now());
        }
    }

    /**
     * A new execution of the failed tasks of an ended execution (and of those a stop left pending).
     *
     * @throws RegistryException.Conflict when it is not over, none failed, or the rule runs
     */
    public ReplicationExecution retry(long id) {
        ReplicationExecution execution = execution(id);
        if (!execution.status().finished()) {
            throw new RegistryException.Conflict("execution " + id + " is still " + execution.status().jsonName(),
                    String.valueOf(id));
        }
        if (store.unfinishedTasks(id, 1).isEmpty()) {
            throw new RegistryException.Conflict("execution " + id + " has no failed tasks to retry", String.valueOf(id));
        }
        locked(execution.rule());
        if (store.active(execution.rule())) {
            throw new RegistryException.Conflict("replication rule '" + execution.rule() + "' is running already",
                    execution.rule());
        }
        return execution(store.createExecution(execution.rule(), ReplicationExecution.Trigger.RETRY, id, Optional.empty(), now()));
    }

    /**
     * Asks a pending or running execution to stop: a pending one stops at once; a running one
     * within about a second (the worker's tick), a blob under way cut short at its next read (its
     * task fails with "stopped by request", and a retry repeats it).
     *
     * @throws RegistryException.Conflict when it has ended
     */
    public ReplicationExecution stop(long id) {
        ReplicationExecution execution = execution(id);
        if (!store.requestStop(id, now())) {
            throw new RegistryException.Conflict("execution " + id + " has ended (" + execution.status().jsonName() + ")",
                    String.valueOf(id));
        }
        return execution(id);
    }

    /** Executions newest first, of one rule or all (null). */
    public Listing<ReplicationExecution> executions(String rule, int offset, int limit) {
        if (rule != null) {
            rule(rule);
        }
        return new Listing<>(store.executions(rule, offset, limit), store.countExecutions(rule));
    }

    /** @throws RegistryException.NotFound when there is no such execution */
    public ReplicationExecution execution(long id) {
        return store.execution(id).orElseThrow(() -> new RegistryException.NotFound("replication execution " + id
                + " not found", String.valueOf(id)));
    }

    /** An execution's tasks by id, of one status or all (null). */
    public Listing<ReplicationTask> tasks(long id, ReplicationTask.Status status, int offset, int limit) {
        execution(id);
        return new Listing<>(store.tasks(id, status, offset, limit), store.countTasks(id, status));
    }

    /** The rule's row locked to the end of the transaction: the check that none of its executions runs holds. */
    private void locked(String name) {
        if (!rules.lock(name)) {
            throw notFound(name);
        }
    }

    private ReplicationRule rule(String name) {
        return rules.find(name).orElseThrow(() -> notFound(name));
    }

    private void requireRegistry(String registry) {
        try {
            endpoints.get(registry);
        } catch (RegistryException.NotFound e) {
            throw new RegistryException.InvalidRequest("'registry': registry endpoint '" + registry
                    + "' not found; add it under /api/v1/registries first");
        }
    }

    private static ReplicationRule stamped(ReplicationRule r, Instant created, Instant updated) {
        return new ReplicationRule(r.name(), r.description(), r.direction(), r.registry(), r.filters(), r.destination(),
                r.trigger(), r.override(), r.replicateDeletion(), r.bandwidthKbps(), r.enabled(), created, updated);
    }

    /** The next occurrence of a cron rule's schedule; null for other triggers. */
    static Instant nextCron(ReplicationRule rule) {
        return rule.trigger().schedule()
                .flatMap(s -> s.next(ZonedDateTime.now(ZoneId.systemDefault())))
                .map(z -> z.toInstant().truncatedTo(ChronoUnit.SECONDS)).orElse(null);
    }

    private static RegistryException.NotFound notFound(String name) {
        return new RegistryException.NotFound("replication rule '" + name + "' not found", name);
    }

    private static Instant now() {
        // milliseconds, as the API shows them; a TIMESTAMP keeps less than an Instant on some databases
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
