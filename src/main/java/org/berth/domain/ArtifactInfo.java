package org.berth.domain;

import java.time.Instant;
import java.util.List;

/**
 * What the metadata store knows of an artifact (a manifest in a repository), without reading its
 * bytes.
 *
 * @param size      the manifest's own bytes
 * @param totalSize the manifest with its config and layers; for an index, the index with its
 *                  children's total sizes
 * @param pulledAt  the last pull, or null
 * @param tags      its tags, by name
 */
public record ArtifactInfo(StoredManifest manifest, long size, long totalSize, Instant pulledAt, long pullCount,
                           List<TagInfo> tags) {

    /** A tag and when it was last pointed at the artifact. */
    public record TagInfo(Tag name, Instant pushedAt) {
    }
}
