package org.berth.domain.proxy;

import java.time.Instant;

/**
 * Which node is fetching a blob from an upstream registry, so that concurrent pulls of one missing
 * blob make one upstream request across the cluster (issue 20, single flight): the node holding a
 * claim renews it while it fetches; a claim not renewed for a while is taken over.
 */
public interface FetchClaims {

    /**
     * Claims the key for {@code node}.
     *
     * @param staleBefore a claim last renewed before this is taken over
     * @return true when the caller holds the claim now
     */
    boolean claim(String key, String node, Instant now, Instant staleBefore);

    /** Renews the caller's claim. */
    void renew(String key, String node, Instant now);

    /** Gives up the caller's claim. */
    void release(String key, String node);
}
