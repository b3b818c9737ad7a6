package org.berth.domain;

import java.time.Instant;

/**
 * A repository as the administration API lists it.
 *
 * @param lastPushAt when a manifest was last pushed to it; null when it holds none
 * @param lastPullAt when a manifest was last pulled from it; null when never
 */
public record RepositoryInfo(RepositoryName name, String project, long artifactCount, long tagCount,
                             long pullCount, Instant lastPushAt, Instant lastPullAt, Instant createdAt) {
}
