package org.berth.application;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.webhook.WebhookEvents;

import org.berth.domain.ContentCatalog;
import org.berth.domain.Digest;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.ProjectUsage;
import org.berth.domain.QuotaStore;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * Storage limits per project, and their enforcement at push.
 * <p>
 * Usage is recomputed from the blob links and manifests each time it is checked, not kept in a
 * counter: it is then exact and dedupe-aware by construction (a blob linked to two repositories
 * of a project is one digest), and deletes, repository removal and garbage collection need no
 * bookkeeping. Concurrent pushes into one limited project are serialized by a row lock on the
 * project ({@link QuotaStore#lockedLimit}, {@code SELECT ... FOR UPDATE}) taken for the short
 * transaction that checks the usage and records the blob or manifest; the lock works across
 * several Berth instances sharing one database, and projects without a limit take no lock.
 */
@ApplicationScoped
public class QuotaService {

    @Inject
    QuotaStore quotas;

    @Inject
    ProjectStore projects;

    @Inject
    ContentCatalog content;

    @Inject
    WebhookEvents events;

    /**
     * A project's limit and usage.
     *
     * @param limitBytes -1 when unlimited
     */
    public record Quota(String project, long limitBytes, long physicalBytes, long logicalBytes) {
        /** What the limit is checked against. */
        public long usedBytes() {
            return physicalBytes;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Quota get(String project) {
        existing(project);
        ProjectUsage usage = content.usage(project);
        return new Quota(project, quotas.limit(project), usage.physicalBytes(), usage.logicalBytes());
    }

    /** Sets the limit; a limit below the current usage refuses further growth, it deletes nothing. */
    @Transactional
    public Quota setLimit(String project, long limitBytes) {
        if (limitBytes < QuotaStore.UNLIMITED) {
            throw new RegistryException.InvalidRequest("'limit_bytes' must be -1 (unlimited) or a number of bytes from 0");
        }
        existing(project);
        quotas.lockedLimit(project);
        quotas.setLimit(project, limitBytes);
        return get(project);
    }

    /** The limit of a project, -1 when unlimited. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long limit(String project) {
        return quotas.limit(project);
    }

    /**
     * An early refusal, before an upload's bytes are committed (so that they can be thrown away):
     * no lock, the decisive check is {@link #admit}.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void precheck(RepositoryName repository, Digest digest, long size) {
        String project = Project.of(repository);
        long limit = quotas.limit(project);
        if (limit != QuotaStore.UNLIMITED) {
            check(repository, limit, digest, size);
        }
    }

    /**
     * How many bytes an upload into the repository may still bring, read when its bytes arrive:
     * the project's limit less its usage, or {@link Long#MAX_VALUE} when the project has no limit
     * or already holds {@code digest} (it costs nothing). No lock: {@link #admit} decides, this
     * only stops a body that can never fit from being stored.
     *
     * @param digest the blob's digest, when the client named it (a PUT or POST with {@code ?digest=})
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long room(RepositoryName repository, Optional<Digest> digest) {
        String project = Project.of(repository);
        long limit = quotas.limit(project);
        if (limit == QuotaStore.UNLIMITED || digest.isPresent() && quotas.holds(project, digest.get())) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, limit - quotas.physicalBytes(project));
    }

    /** The refusal of an upload that outgrew the {@link #room} of its project: it needed at least {@code atLeast} bytes. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RegistryException.Denied tooLarge(RepositoryName repository, long atLeast) {
        String project = Project.of(repository);
        long limit = quotas.limit(project);
        long used = quotas.physicalBytes(project);
        events.quotaExceeded(project, Optional.of(repository), limit, used, atLeast);
        return denied(project, limit, used, atLeast, "at least ");
    }

    /**
     * Records a blob or manifest ({@code record}) if the project's physical usage stays within its
     * limit, in one transaction holding the project's lock; content the project already holds
     * costs nothing.
     *
     * @throws RegistryException.Denied naming the project, its limit and usage, when it does not fit
     */
    @Transactional
    public <T> T admit(RepositoryName repository, Digest digest, long size, Supplier<T> record) {
        String project = Project.of(repository);
        if (quotas.limit(project) != QuotaStore.UNLIMITED) {
            long limit = quotas.lockedLimit(project);
            if (limit != QuotaStore.UNLIMITED) {
                check(repository, limit, digest, size);
            }
        }
        return record.get();
    }

    private void check(RepositoryName repository, long limit, Digest digest, long size) {
        String project = Project.of(repository);
        if (quotas.holds(project, digest)) {
            return;
        }
        long used = quotas.physicalBytes(project);
        if (used + size > limit) {
            // a webhook event of its own (issue 21): the refused change rolls back, the event stays
            events.quotaExceeded(project, Optional.of(repository), limit, used, size);
            throw denied(project, limit, used, size, "");
        }
    }

    private static RegistryException.Denied denied(String project, long limit, long used, long needed, String atLeast) {
        return new RegistryException.Denied("quota exceeded: project '" + project + "' limit " + limit
                + " bytes, used " + used + " bytes, this push needs " + atLeast + needed + " more",
                Map.of("project", project, "limit_bytes", limit, "used_bytes", used, "needed_bytes", needed));
    }

    private void existing(String project) {
        if (projects.find(project).isEmpty()) {
            throw new RegistryException.NotFound("project '" + project + "' not found", project);
        }
    }
}
