package org.berth.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Manifests, their references and tags, per repository. */
public interface ManifestStore {

    Optional<StoredManifest> find(RepositoryName repository, Digest digest);

    Optional<StoredManifest> findByTag(RepositoryName repository, Tag tag);

    /**
     * Records a manifest (or refreshes it when the same digest is pushed again) with the edges to
     * everything it references.
     */
    void save(StoredManifest manifest, List<ManifestReference> references);

    /**
     * Locks the repository's manifests of these digests for the caller's transaction (in digest
     * order), so that the garbage collector cannot delete them as untagged before it ends.
     *
     * @return the digests of those asked that the repository holds
     */
    Set<Digest> hold(RepositoryName repository, Collection<Digest> digests);

    /**
     * Points the tag at the manifest, moving it if it pointed elsewhere.
     *
     * @throws RegistryException.ManifestUnknown when the repository holds no such manifest
     */
    void tag(RepositoryName repository, Tag tag, Digest digest);

    /** @return false when there was no such tag */
    boolean untag(RepositoryName repository, Tag tag);

    /**
     * Locks the tag's row for the caller's transaction ({@code SELECT ... FOR UPDATE}) and tells
     * the digest it points at once any other transaction moving it has ended; empty when there is
     * no such tag.
     */
    Optional<Digest> lockTag(RepositoryName repository, Tag tag);

    /** The tags of the repository pointing at the manifest, in lexical order. */
    List<Tag> tagsOf(RepositoryName repository, Digest digest);

    /** The tags of the repository pointing at an index that lists the manifest, in lexical order. */
    List<Tag> tagsOfIndexesListing(RepositoryName repository, Digest digest);

    /** Whether a manifest of the repository references the blob or manifest (as config, layer or child). */
    boolean anyReferences(RepositoryName repository, Digest digest);

    /** Deletes the manifest, its references and every tag pointing at it; false when absent. */
    boolean delete(RepositoryName repository, Digest digest);

    /** Tags of the repository in lexical order, after {@code page.last()}. */
    List<Tag> tags(RepositoryName repository, Page page);

    /** Manifests of the repository whose subject is {@code subject}, optionally of one artifact type. */
    List<StoredManifest> referrers(RepositoryName repository, Digest subject, String artifactType);
}
