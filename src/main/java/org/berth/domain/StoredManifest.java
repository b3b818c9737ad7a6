package org.berth.domain;

import java.time.Instant;

/**
 * What the metadata store knows of a manifest pushed to a repository; its bytes live in the blob
 * store under {@code digest}.
 */
public record StoredManifest(RepositoryName repository, Digest digest, String mediaType, long size,
                             String artifactType, Digest subject, Instant pushedAt) {
}
