package org.berth.domain.retention;

import java.time.Instant;
import java.util.List;

import org.berth.domain.Digest;

/**
 * An artifact (a manifest, one digest) of a repository as retention weighs it.
 *
 * @param tags       its tags with the time each was put on it (a re-push of the same digest under
 *                   the same tag keeps the time; a move to another digest renews it)
 * @param pushedAt   when the manifest was pushed (an untagged artifact's push time)
 * @param lastPullAt its last manifest GET, or null when never pulled
 * @param subject    the artifact it refers to (a signature's, an SBOM's), or null
 * @param children   the manifests it lists when it is an index
 * @param blobs      every blob it references (layers, config) and its own bytes' digest: what
 *                   deleting it may leave to garbage collection
 */
public record RetentionArtifact(Digest digest, List<TagTime> tags, Instant pushedAt, Instant lastPullAt, Digest subject,
                                List<Digest> children, List<Digest> blobs) {

    /** A tag and when it was put on the artifact. */
    public record TagTime(String tag, Instant at) {
    }

    public RetentionArtifact {
        tags = List.copyOf(tags);
        children = List.copyOf(children);
        blobs = List.copyOf(blobs);
    }

    public boolean tagged() {
        return !tags.isEmpty();
    }

    public List<String> tagNames() {
        return tags.stream().map(TagTime::tag).toList();
    }

    /** When it counts as pulled, having been put under a tag at {@code pushed}: never before that push. */
    public Instant pulledAt(Instant pushed) {
        return lastPullAt == null || lastPullAt.isBefore(pushed) ? pushed : lastPullAt;
    }
}
