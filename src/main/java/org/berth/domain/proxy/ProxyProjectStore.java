package org.berth.domain.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Which projects are proxy caches, and of which registry endpoint. */
public interface ProxyProjectStore {

    Optional<ProxyProject> find(String project);

    /** Every proxy project, by project name (there are few: one per upstream a team pulls from). */
    Map<String, ProxyProject> all();

    /** Makes an existing project a proxy cache. */
    void save(ProxyProject proxy);

    void setTagTtl(String project, Duration tagTtl);

    /** Whether any project is a cache of the endpoint (which then cannot be deleted). */
    boolean usesRegistry(String registry);
}
