package org.berth.application.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.ProjectService;
import org.berth.application.retention.RetentionService;
import org.berth.domain.Project;
import org.berth.domain.RegistryException;
import org.berth.domain.policy.Selector;
import org.berth.domain.proxy.ProxyProject;
import org.berth.domain.proxy.ProxyProjectStore;
import org.berth.domain.retention.KeepMode;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionRule;

/**
 * Proxy-cache projects (issue 20): made from a registry endpoint, with a retention policy that
 * keeps what was pulled within the last {@value #KEEP_PULLED_DAYS} days (editable like any
 * project's), run every night, garbage collection after it.
 */
@ApplicationScoped
@Transactional
public class ProxyProjectService {

    static final int KEEP_PULLED_DAYS = 7;

    /** When the default retention of a proxy project runs: every night at 03:30 UTC. */
    static final String NIGHTLY = "30 3 * * *";

    @Inject
    ProjectService projects;

    @Inject
    ProxyProjectStore store;

    @Inject
    RegistryEndpointService endpoints;

    @Inject
    RetentionService retention;

    @Inject
    ProxyProjects known;

    /**
     * Creates a project that caches the registry endpoint {@code registry}.
     *
     * @param tagTtl how long a tag's manifest is served before the upstream is asked again
     */
    public Project create(String name, boolean isPublic, String creator, String registry, Optional<Duration> tagTtl) {
        endpoints.get(registry); // 404 when there is no such endpoint
        Project project = projects.create(name, isPublic, creator);
        store.save(proxy(name, registry, tagTtl.orElse(ProxyProject.DEFAULT_TAG_TTL))); // a refusal rolls the project back
        List<RetentionRule> rules = List.of(new RetentionRule(Selector.ALL, Selector.ALL, true, KeepMode.PULLED_WITHIN_DAYS,
                KEEP_PULLED_DAYS));
        retention.save(name, new RetentionService.Change(rules, NIGHTLY, true, true, RetentionPolicy.fingerprint(rules)));
        known.changed();
        return project;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ProxyProject> find(String project) {
        return store.find(project);
    }

    public ProxyProject setTagTtl(String project, Duration tagTtl) {
        ProxyProject current = store.find(project).orElseThrow(() -> new RegistryException.InvalidRequest(
                "project '" + project + "' is not a proxy cache: tag_ttl_seconds applies to proxy-cache projects only"));
        ProxyProject changed = proxy(project, current.registry(), tagTtl);
        store.setTagTtl(project, changed.tagTtl());
        known.changed();
        return changed;
    }

    private static ProxyProject proxy(String project, String registry, Duration tagTtl) {
        try {
            return new ProxyProject(project, registry, tagTtl);
        } catch (IllegalArgumentException e) {
            throw new RegistryException.InvalidRequest(e.getMessage());
        }
    }
}
