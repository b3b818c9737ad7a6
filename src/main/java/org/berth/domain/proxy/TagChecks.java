package org.berth.domain.proxy;

import java.time.Instant;
import java.util.Optional;

import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;

/**
 * When Berth last confirmed with the upstream what a cached tag points at: a tag checked less
 * than the project's TTL ago is served without asking the upstream (issue 20, freshness).
 */
public interface TagChecks {

    Optional<Instant> checkedAt(RepositoryName repository, Tag tag);

    void checked(RepositoryName repository, Tag tag, Instant at);
}
