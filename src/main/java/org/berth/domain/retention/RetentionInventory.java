package org.berth.domain.retention;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;

/** What retention reads of a project's content to decide, to count bytes and to re-decide before a delete. */
public interface RetentionInventory {

    /** The project's repositories, by name. */
    List<RepositoryName> repositories(String project);

    /** Every artifact of the repository, with its tags, times, subject, children and blobs. */
    List<RetentionArtifact> artifacts(RepositoryName repository);

    /** One artifact as it stands now (read in the caller's transaction), or empty when it is gone. */
    Optional<RetentionArtifact> artifact(RepositoryName repository, Digest digest);

    /** The digests of the repository's manifests that list {@code digest} as a child (indexes). */
    Set<Digest> parents(RepositoryName repository, Digest digest);

    /**
     * Of {@code blobs}, those that no manifest anywhere would reference (nor be) once the manifests
     * in {@code gone} are deleted, with their stored sizes: the bytes garbage collection reclaims.
     * Blobs without a stored row count nothing.
     *
     * @param gone manifests taken as deleted, as repository name and digest
     */
    Map<Digest, Long> unreferencedWithout(Collection<Digest> blobs, Set<ArtifactKey> gone);

    /** A manifest of a repository. */
    record ArtifactKey(String repository, Digest digest) {
    }
}
