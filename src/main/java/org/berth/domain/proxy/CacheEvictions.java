package org.berth.domain.proxy;

import java.util.Optional;

/**
 * Makes room in a full proxy project (issue 20: a cache whose quota is full evicts rather than
 * refuses a pull).
 */
public interface CacheEvictions {

    /**
     * Deletes the project's least recently pulled artifact (never pulled: its push time), with its
     * tags, and unlinks from its repository the blobs no other artifact there references. An
     * index's children are taken only after the index.
     *
     * @return what was evicted ({@code repository@digest}), or empty when the project holds nothing
     */
    Optional<String> evictLeastRecentlyPulled(String project);
}
