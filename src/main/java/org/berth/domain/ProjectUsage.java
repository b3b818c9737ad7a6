package org.berth.domain;

/**
 * What a project holds.
 *
 * @param logicalBytes  the sum over its artifacts of each manifest with its config and layers: a
 *                      layer used by two artifacts counts twice
 * @param physicalBytes the distinct blobs and manifests linked to its repositories: a blob linked
 *                      to two of its repositories counts once; what a quota limits
 */
public record ProjectUsage(long repositoryCount, long artifactCount, long tagCount, long logicalBytes,
                           long physicalBytes) {
}
