package org.berth.application.proxy;

import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.AuditService;
import org.berth.application.QuotaService;
import org.berth.domain.AuditEntry;
import org.berth.domain.Project;
import org.berth.domain.RepositoryName;
import org.berth.domain.proxy.CacheEvictions;

/**
 * A proxy project whose quota is full makes room by deleting its least recently pulled artifacts
 * (issue 20) instead of refusing the pull. Their bytes go at the next garbage collection; the
 * quota counts what the project links, so the room is there at once. Each eviction is an
 * {@code evict} entry of the audit log, made by Berth itself ({@code system}) from the address of
 * the pull that needed the room.
 */
@ApplicationScoped
public class CacheEviction {

    private static final Logger LOG = Logger.getLogger(CacheEviction.class.getName());

    /** At most this many artifacts go for one pull: a quota smaller than one image does not empty the project. */
    static final int MAX_PER_PULL = 50;

    @Inject
    CacheEvictions evictions;

    @Inject
    QuotaService quotas;

    @Inject
    AuditService audit;

    /** @return whether {@code needed} bytes fit now */
    boolean makeRoom(RepositoryName repository, long needed) {
        String project = Project.of(repository);
        for (int i = 0; i < MAX_PER_PULL; i++) {
            if (quotas.room(repository, Optional.empty()) >= needed) {
                return true;
            }
            Optional<String> evicted = evictions.evictLeastRecentlyPulled(project);
            if (evicted.isEmpty()) {
                return false;
            }
            LOG.info(() -> "proxy project '" + project + "' is full: evicted " + evicted.get());
            String source = audit.currentActor().map(AuditService.Actor::sourceIp).orElse(null);
            audit.record(new AuditEntry(null, Instant.now(), "system", AuditEntry.Kind.SYSTEM, source,
                    AuditEntry.Operation.EVICT, "artifact", evicted.get(), project, true,
                    "least recently pulled; the project's quota had no room for " + needed + " bytes"));
        }
        return quotas.room(repository, Optional.empty()) >= needed;
    }
}
