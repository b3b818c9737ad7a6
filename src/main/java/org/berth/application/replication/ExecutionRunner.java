package org.berth.application.replication;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

import org.berth.application.proxy.RegistryEndpointService;
import org.berth.application.webhook.WebhookEvents;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.replication.ReplicationExecution;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationExecutionStore;
import org.berth.domain.replication.ReplicationRuleStore;
import org.berth.domain.replication.ReplicationTask;
import org.berth.domain.webhook.WebhookEventType;
import org.berth.remote.BlobPush;
import org.berth.remote.RegistryClient;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteRegistry;

/**
 * Runs one claimed execution to its end on the worker's thread: lists the source into tasks
 * (once: an execution resumed after its node died keeps the tasks it has, those left running go
 * back to pending), runs the pending tasks one by one through {@link ArtifactCopy}, recording each
 * task and the byte counters as it goes, then ends the execution (stopped, failed when a task
 * failed, else succeeded), raises the replication webhook event of each local project involved
 * and prunes the rule's history. Nothing here logs a credential: the endpoint's password stays
 * in the {@link RemoteRegistry}, whose {@code toString} hides it.
 */
@ApplicationScoped
class ExecutionRunner {

    private static final Logger LOG = Logger.getLogger(ExecutionRunner.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();

    /** The most tasks one execution lists: a rule wider than this should be split. */
    static final int MAX_TASKS = 100_000;
    /** The most repositories one execution lists. */
    static final int MAX_REPOSITORIES = 10_000;
    /** Tags of the referrers tag schema ({@code sha256-<hex>}): their referrers go with their subject, not as tags. */
    private static final Pattern REFERRERS_TAG = Pattern.compile("[a-z0-9]+-[a-f0-9]{32,}");
    private static final int BATCH = 100;

    @Inject
    ReplicationRuleStore rules;

    @Inject
    ReplicationExecutionStore store;

    @Inject
    LocalEnd local;

    @Inject
    RegistryEndpointService endpoints;

    @Inject
    RegistryClient client;

    @Inject
    WebhookEvents events;

    /** An execution running on this node: its bytes sent and not yet recorded, and whether it was asked to stop. */
    private record Running(AtomicLong unflushed, AtomicBoolean stop) {
    }

    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    /** Why planning stopped: the whole execution fails with this message. */
    static final class PlanFailed extends Exception {
        private static final long serialVersionUID = 1L;

        PlanFailed(String message) {
            super(message);
        }
    }

    /**
     * @param going false once this node stops: the execution is then left to its lease, and resumed
     */
    void run(ReplicationExecutionStore.Claim claim, String node, BooleanSupplier going) {
        ReplicationExecution execution = claim.execution();
        long id = execution.id();
        ReplicationRule rule = rules.find(execution.rule()).orElse(null);
        if (rule == null) {
            return; // deleted with its executions meanwhile
        }
        Set<String> projects = new TreeSet<>();
        ReplicationEnd remote;
        try {
            RemoteRegistry registry = endpoints.connection(rule.registry());
            long bytesPerSecond = rule.bandwidthKbps() * 1024;
            remote = new RemoteEnd(client, registry, BlobPush.defaults().withBandwidth(bytesPerSecond),
                    (repository, digest) -> new KeptUploads(store, rule.registry(), repository, digest));
        } catch (RegistryException e) {
            end(rule, execution, node, ReplicationExecution.Status.FAILED, "registry '" + rule.registry() + "': "
                    + e.getMessage(), projects);
            return;
        }
        boolean push = rule.direction() == ReplicationRule.Direction.PUSH;
        ReplicationEnd source = push ? local : remote;
        ReplicationEnd destination = push ? remote : local;
        try {
            if (claim.resumed()) {
                store.resetRunning(id);
            }
            if (!store.planned(id)) {
                store.plan(id, plan(rule, execution, source));
            }
        } catch (PlanFailed e) {
            end(rule, execution, node, ReplicationExecution.Status.FAILED, e.getMessage(), projects);
            return;
        } catch (RemoteFailure e) {
            end(rule, execution, node, ReplicationExecution.Status.FAILED, "listing the source failed: " + e.getMessage(),
                    projects);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "replication: execution " + id + " of rule '" + rule.name() + "' could not be planned", e);
            end(rule, execution, node, ReplicationExecution.Status.FAILED, "listing the source failed: "
                    + ArtifactCopy.describe(e), projects);
            return;
        }
        Running here = running.computeIfAbsent(id, k -> new Running(new AtomicLong(), new AtomicBoolean()));
        ArtifactCopy copy = new ArtifactCopy(source, destination, rule, new ArtifactCopy.Progress() {
            @Override
            public void toSend(long bytes) {
                store.addBytes(id, bytes, 0);
            }

            @Override
            public void sent(long bytes) {
                // maybe on the HTTP client's thread, which is no container thread: recorded by flush()
                here.unflushed().addAndGet(bytes);
            }

            @Override
            public boolean stopped() {
                return here.stop().get();
            }
        });
        try {
            runTasks(rule, execution, node, going, push, copy, projects);
        } finally {
            flush(id);
            running.remove(id);
        }
    }

    private void runTasks(ReplicationRule rule, ReplicationExecution execution, String node, BooleanSupplier going,
                          boolean push, ArtifactCopy copy, Set<String> projects) {
        long id = execution.id();
        while (true) {
            List<ReplicationTask> batch = store.pendingTasks(id, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (ReplicationTask task : batch) {
                if (!going.getAsBoolean()) {
                    return; // Berth stops: the lease lapses and a live node resumes the execution
                }
                if (store.stopRequested(id)) {
                    end(rule, execution, node, ReplicationExecution.Status.STOPPED, null, projects);
                    return;
                }
                projects.add(Project.of(RepositoryName.parse(push ? task.sourceRepository() : safe(task.destinationRepository()))));
                runTask(copy, task);
                flush(id);
            }
        }
        flush(id);
        ReplicationExecution.Status status = store.countTasks(id, ReplicationTask.Status.FAILED) > 0
                ? ReplicationExecution.Status.FAILED : ReplicationExecution.Status.SUCCEEDED;
        end(rule, execution, node, status, null, projects);
    }

    /**
     * Looks whether a stop was asked of the executions running on this node (the worker's tick,
     * every second): the blob a copy is sending is then cut short at its next read, so a stop
     * does not wait for a big layer.
     */
    void watchStops() {
        running.forEach((id, here) -> {
            if (!here.stop().get() && store.stopRequested(id)) {
                here.stop().set(true);
            }
        });
    }

    /**
     * Records the bytes sent since the last flush, on a container thread (the worker's tick, every
     * second, and the execution's own thread after each task): progress shows while a layer goes.
     */
    void flush() {
        running.keySet().forEach(this::flush);
    }

    private void flush(long id) {
        Running here = running.get(id);
        long bytes = here == null ? 0 : here.unflushed().getAndSet(0);
        if (bytes != 0) {
            try {
                store.addBytes(id, 0, bytes);
            } catch (RuntimeException e) {
                here.unflushed().addAndGet(bytes);
                throw e;
            }
        }
    }

    private void runTask(ArtifactCopy copy, ReplicationTask task) {
        store.startTask(task.id(), now());
        long start = System.nanoTime();
        ArtifactCopy.Outcome outcome;
        try {
            RepositoryName.parse(task.destinationRepository());
            outcome = task.operation() == ReplicationTask.Operation.COPY
                    ? copy.copy(task.sourceRepository(), task.destinationRepository(), task.tag(), task.digest())
                    : copy.delete(task.destinationRepository(), task.tag(), task.digest());
        } catch (RegistryException.NameInvalid e) {
            outcome = ArtifactCopy.Outcome.failed(null, 0, "the destination name of " + task.sourceRepository()
                    + " is no repository name (" + e.getMessage() + ")");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        store.finishTask(task.id(), outcome.status(), outcome.digest(), outcome.bytes(), ms, outcome.message(), now());
    }

    /** The tasks of an execution: a retry's from the execution it repeats, an event's its one artifact, else the listing. */
    private List<ReplicationTask.Planned> plan(ReplicationRule rule, ReplicationExecution execution, ReplicationEnd source)
            throws RemoteFailure, PlanFailed {
        if (execution.retryOf() != null) {
            return store.unfinishedTasks(execution.retryOf(), MAX_TASKS);
        }
        if (execution.scope().isPresent()) {
            ReplicationExecution.Scope scope = execution.scope().get();
            String reference = scope.reference();
            String tag = null;
            String digest = null;
            int at = reference.indexOf('@');
            if (at >= 0) {
                tag = at == 0 ? null : reference.substring(0, at);
                digest = reference.substring(at + 1);
            } else if (reference.contains(":")) {
                digest = reference;
            } else {
                tag = reference;
            }
            return List.of(new ReplicationTask.Planned(scope.operation(), scope.repository(), map(rule, scope.repository()),
                    tag, digest));
        }
        List<String> repositories = new ArrayList<>();
        source.repositories(rule.filters().repositoryGlob(), name -> {
            if (repositories.size() <= MAX_REPOSITORIES) {
                repositories.add(name);
            }
        });
        if (repositories.size() > MAX_REPOSITORIES) {
            throw new PlanFailed("the rule selects more than " + MAX_REPOSITORIES + " repositories: narrow its repository filter");
        }
        List<ReplicationTask.Planned> tasks = new ArrayList<>();
        for (String repository : repositories) {
            String destination = map(rule, repository);
            source.tags(repository, page -> {
                for (String tag : page) {
                    if (tasks.size() <= MAX_TASKS && rule.filters().acceptsTag(tag) && !REFERRERS_TAG.matcher(tag).matches()) {
                        tasks.add(new ReplicationTask.Planned(ReplicationTask.Operation.COPY, repository, destination, tag, null));
                    }
                }
            });
            if (tasks.size() > MAX_TASKS) {
                throw new PlanFailed("the rule selects more than " + MAX_TASKS + " tags: narrow its filters");
            }
        }
        return tasks;
    }

    /** The destination name, or the unmapped text when it is none (the task then fails naming it). */
    private static String map(ReplicationRule rule, String repository) {
        try {
            return rule.destinationOf(repository);
        } catch (RegistryException.NameInvalid e) {
            return "invalid:" + repository;
        }
    }

    private static String safe(String repository) {
        try {
            return RepositoryName.parse(repository).value();
        } catch (RegistryException.NameInvalid e) {
            return "invalid";
        }
    }

    private void end(ReplicationRule rule, ReplicationExecution execution, String node, ReplicationExecution.Status status,
                     String error, Set<String> projects) {
        long id = execution.id();
        store.finish(id, node, status, error, now());
        ReplicationExecution ended = store.execution(id).orElse(null);
        if (ended != null) {
            LOG.info(() -> "replication: execution " + id + " of rule '" + rule.name() + "' " + status.jsonName() + " ("
                    + ended.tasks().succeeded() + " copied, " + ended.tasks().skipped() + " skipped, " + ended.tasks().failed()
                    + " failed)");
            raise(rule, ended, projects);
        }
        try {
            store.prune(rule.name(), ReplicationExecution.KEEP_PER_RULE);
            store.pruneUploads(now().minus(KeptUploads.KEPT_FOR));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "replication: the history of rule '" + rule.name() + "' was not pruned", e);
        }
    }

    /** The webhook event of each local project the execution read from (push) or wrote to (pull). */
    private void raise(ReplicationRule rule, ReplicationExecution ended, Set<String> projects) {
        WebhookEventType type = ended.status() == ReplicationExecution.Status.FAILED ? WebhookEventType.REPLICATION_FAILED
                : WebhookEventType.REPLICATION_DONE;
        ReplicationExecution.TaskCounts t = ended.tasks();
        JsonObject data = JSON.createObjectBuilder()
                .add("rule", rule.name()).add("execution_id", ended.id()).add("status", ended.status().jsonName())
                .add("direction", rule.direction().jsonName()).add("registry", rule.registry())
                .add("trigger", ended.trigger().jsonName())
                .add("tasks", JSON.createObjectBuilder().add("total", t.total()).add("succeeded", t.succeeded())
                        .add("failed", t.failed()).add("skipped", t.skipped()))
                .add("bytes_done", ended.bytesDone())
                .add("operator", "replication")
                .build();
        for (String project : projects) {
            try {
                events.record(project, type, data);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "replication: the webhook event of project '" + project + "' was not recorded", e);
            }
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
