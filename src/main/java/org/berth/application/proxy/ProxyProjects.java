package org.berth.application.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.proxy.ProxyProject;
import org.berth.domain.proxy.ProxyProjectStore;

/**
 * Which projects are proxy caches, asked on every /v2 request: the answer is kept for a second per
 * node (there are few proxy projects, and a project becomes one only when it is created), so a
 * request costs no query.
 */
@ApplicationScoped
public class ProxyProjects {

    private static final long KEPT_NANOS = Duration.ofSeconds(1).toNanos();

    @Inject
    ProxyProjectStore store;

    private volatile Map<String, ProxyProject> known;
    private volatile long readAt;

    /** The proxy project the repository belongs to, if its project is one. */
    public Optional<ProxyProject> of(RepositoryName repository) {
        return find(Project.of(repository));
    }

    public Optional<ProxyProject> find(String project) {
        return Optional.ofNullable(current().get(project));
    }

    /**
     * Refuses a push into a proxy project (its content is the upstream's): 403 DENIED, before the
     * body is read.
     */
    public void refusePush(RepositoryName repository) {
        of(repository).ifPresent(p -> {
            throw new RegistryException.Denied("project '" + p.project() + "' is a proxy cache of registry '"
                    + p.registry() + "' and cannot be pushed to: push to another project");
        });
    }

    /** Forgets what it kept: a project was made a proxy cache, or its TTL changed, on this node. */
    void changed() {
        known = null;
    }

    private Map<String, ProxyProject> current() {
        Map<String, ProxyProject> map = known;
        long now = System.nanoTime();
        if (map == null || now - readAt > KEPT_NANOS) {
            map = store.all();
            known = map;
            readAt = now;
        }
        return map;
    }
}
