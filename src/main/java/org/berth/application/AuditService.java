package org.berth.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.auth.Identity;
import org.berth.auth.LoginAttempt;
import org.berth.auth.RequestIdentity;
import org.berth.domain.AuditEntry;
import org.berth.domain.AuditEntry.Operation;
import org.berth.domain.AuditLog;
import org.berth.domain.AuditQuery;
import org.berth.domain.ProjectStore;
import org.berth.domain.Robot;
import org.berth.domain.RobotStore;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The audit log: requests {@link #record record} what they did (the actor and the source address
 * come from the request's {@link RequestIdentity}), logins arrive as {@link LoginAttempt} events.
 * Entries go into a bounded in-memory {@link AuditBuffer}; {@link BackgroundFlush} writes them in
 * batches, one transaction each, every second, and what is left is written when the application is
 * undeployed or the JVM exits (SIGTERM: BackgroundFlush's shutdown hook). A full buffer drops entries (counted, logged once) instead of slowing
 * a pull.
 */
@ApplicationScoped
public class AuditService {

    static final int CAPACITY = 20_000;
    static final int BATCH = 500;

    private static final Logger LOG = Logger.getLogger(AuditService.class.getName());

    @Inject
    AuditLog log;

    @Inject
    AuditWriter writer;

    @Inject
    RequestIdentity requestIdentity;

    @Inject
    RobotStore robots;

    @Inject
    ProjectStore projects;

    @Inject
    MetricRegistry metrics;

    private final AuditBuffer buffer = new AuditBuffer(CAPACITY);
    private final AtomicBoolean dropLogged = new AtomicBoolean();

    @PostConstruct
    void start() {
        metrics.gauge(Metadata.builder().withName("berth_audit_dropped")
                .withDescription("Audit entries dropped because the write buffer was full").build(), buffer, AuditBuffer::dropped);
    }

    @PreDestroy
    void stop() {
        flush();
    }

    /**
     * Records an operation of the current request by whoever the access controller authenticated.
     * Nothing is recorded when nobody was (wrong credentials: that is a failed login, recorded
     * as such).
     *
     * @return whether an entry was queued
     */
    public boolean record(Operation operation, String resourceType, String resource, String project,
                          boolean success, String detail) {
        Identity actor;
        String source;
        try {
            actor = requestIdentity.identity();
            source = requestIdentity.sourceAddress();
        } catch (ContextNotActiveException e) {
            return false;
        }
        if (actor == null) {
            return false;
        }
        return enqueue(new AuditEntry(null, Instant.now(), actor.name(), kind(actor), source, operation,
                resourceType, resource, attributedProject(project, success, projects), success, detail));
    }

    /** Who makes the current request, as the audit log names them, and from where. */
    public record Actor(String username, AuditEntry.Kind kind, String sourceIp) {
    }

    /**
     * The current request's caller, for work that outlives the request and is recorded when it ends
     * (a garbage collection run); empty outside a request or before authentication.
     */
    public Optional<Actor> currentActor() {
        try {
            Identity actor = requestIdentity.identity();
            return actor == null ? Optional.empty() : Optional.of(new Actor(actor.name(), kind(actor), requestIdentity.sourceAddress()));
        } catch (ContextNotActiveException e) {
            return Optional.empty();
        }
    }

    /** Records an entry made outside any request (a garbage collection run, when it ends). */
    public boolean record(AuditEntry entry) {
        return enqueue(entry);
    }

    /**
     * The project a request's entry belongs to: a failed request names a project only when it
     * exists, so that nobody fills the log of a project yet to be created by trying its names
     * (a successful one keeps its project, also a project it just deleted).
     */
    static String attributedProject(String project, boolean success, ProjectStore projects) {
        return project == null || success || projects.exists(project) ? project : null;
    }

    void onLogin(@Observes LoginAttempt attempt) {
        AuditEntry.Kind kind = attempt.identity() != null ? kind(attempt.identity())
                : attempt.username().startsWith("robot$") ? AuditEntry.Kind.ROBOT : AuditEntry.Kind.USER;
        enqueue(new AuditEntry(null, Instant.now(), attempt.username(), kind, attempt.sourceAddress(),
                attempt.success() ? Operation.LOGIN : Operation.LOGIN_FAILED, "user", attempt.username(),
                attempt.identity() != null ? attempt.identity().project() : robotProject(attempt.username(), robots),
                attempt.success(), attempt.detail()));
    }

    /**
     * The project whose log shows a failed login: {@code robot$team-a+ci} belongs to
     * {@code team-a} when that robot exists, so that its project's admins see its failed logins.
     * A name that only looks like a robot's belongs to no project: anyone could otherwise write
     * into any project's log by trying {@code robot$secret+x}.
     */
    static String robotProject(String username, RobotStore robots) {
        return Robot.parseLoginName(username)
                .filter(login -> robots.find(login.project(), login.name()).isPresent())
                .map(Robot.Login::project)
                .orElse(null);
    }

    /** Entries matching the query, newest first, with the total. */
    public Listing<AuditEntry> list(AuditQuery query, int offset, int limit) {
        return new Listing<>(log.find(query, offset, limit), log.count(query));
    }

    /** Entries dropped since the start because the buffer was full. */
    public long dropped() {
        return buffer.dropped();
    }

    static AuditEntry.Kind kind(Identity identity) {
        return switch (identity.kind()) {
            case USER -> AuditEntry.Kind.USER;
            case ROBOT -> AuditEntry.Kind.ROBOT;
            case PERSONAL_TOKEN -> AuditEntry.Kind.TOKEN;
            case ANONYMOUS -> AuditEntry.Kind.ANONYMOUS;
        };
    }

    private boolean enqueue(AuditEntry entry) {
        if (buffer.offer(entry)) {
            return true;
        }
        if (dropLogged.compareAndSet(false, true)) {
            LOG.warning("audit log: the write buffer of " + CAPACITY + " entries is full; entries are dropped"
                    + " (counted in the berth_audit_dropped metric) until the database catches up");
        }
        return false;
    }

    /** Writes everything queued, batch by batch; one failed batch is logged and lost. */
    public synchronized void flush() {
        List<AuditEntry> batch;
        while (!(batch = buffer.drain(BATCH)).isEmpty()) {
            try {
                writer.write(batch);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "audit log: " + batch.size() + " entries could not be written", e);
                return;
            }
        }
    }
}
