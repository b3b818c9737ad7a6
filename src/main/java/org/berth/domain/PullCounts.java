package org.berth.domain;

import java.time.Instant;
import java.util.Collection;

/** Pull counts and last pull times of repositories and manifests, recorded in batches. */
public interface PullCounts {

    /** {@code count} pulls of a manifest of a repository, the last at {@code last}. */
    record Pulls(RepositoryName repository, Digest digest, long count, Instant last) {
    }

    /** Adds the pulls to the manifests and their repositories; pulls of deleted manifests are dropped. */
    void add(Collection<Pulls> pulls);
}
