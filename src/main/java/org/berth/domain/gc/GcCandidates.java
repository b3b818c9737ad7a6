package org.berth.domain.gc;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.berth.domain.Digest;

/**
 * The database side of a garbage collection run: finding what is garbage, page by page (memory
 * does not grow with the registry), and deleting it under the row locks that pushes take too. Every
 * method runs in the caller's transaction; the deleting ones lock the rows, then check again
 * whether each is still garbage (a push may have linked or referenced it since it was found), and
 * touch only those.
 *
 * <p>The cutoffs: a blob or an untagged manifest is garbage only when it was last touched (uploaded,
 * linked, mounted, pushed) before {@code cutoff}; a link only when it was last touched (made, or
 * promised by a HEAD answered 200) before {@code linkCutoff}.
 */
public interface GcCandidates {

    /** A repository's link to a blob that none of its manifests references. */
    record Link(long repositoryId, String repository, Digest digest, long size) {
    }

    /** A stored blob that nothing links or references. */
    record Blob(Digest digest, long size) {
    }

    long countManifests();

    long countLinks();

    long countBlobs();

    /**
     * The manifests of whole repositories, with their tags, subjects and children, in repository
     * order after {@code afterRepositoryId}: about {@code limit} manifests, more when one repository
     * holds more (a repository is never split).
     */
    List<ManifestMarking.Node> manifests(long afterRepositoryId, int limit);

    /** Notes manifests a dry run would delete, for {@link #links} and {@link #blobs} of the same run. */
    void markDoomed(long runId, Collection<Long> manifestIds);

    /** Forgets what {@link #markDoomed} noted for the run, and anything left by runs no longer running. */
    void clearDoomed(long runId);

    /**
     * Deletes the manifests that are still garbage: untagged, pushed before {@code cutoff}, listed
     * by no index of their repository, with no subject left in it.
     *
     * @return the ids deleted
     */
    Set<Long> deleteManifests(Collection<Long> ids, Instant cutoff);

    /**
     * Links touched before {@code linkCutoff} that no manifest of their repository references, in
     * (repository, digest) order after the given one.
     *
     * @param doomedRun when not null, manifests {@link #markDoomed} noted for this run count as deleted (a dry run)
     */
    List<Link> links(long afterRepositoryId, String afterDigest, int limit, Instant linkCutoff, Long doomedRun);

    /** Deletes the links that are still garbage. @return those deleted */
    List<Link> deleteLinks(Collection<Link> links, Instant linkCutoff);

    /**
     * Blobs touched before {@code cutoff} that nothing links or references, in digest order after
     * {@code afterDigest}.
     *
     * @param dryRun    when true, links that {@link #links} would find count as deleted
     * @param doomedRun as for {@link #links}
     */
    List<Blob> blobs(String afterDigest, int limit, Instant cutoff, Instant linkCutoff, boolean dryRun, Long doomedRun);

    /**
     * Locks the blobs' rows, for the rest of the transaction, and answers those still garbage: the
     * caller removes their files and then {@link #deleteBlobRows} in the same transaction.
     */
    List<Blob> lockGarbageBlobs(Collection<Digest> digests, Instant cutoff);

    void deleteBlobRows(Collection<Digest> digests);

    /** Which of these digests have a row. */
    Set<Digest> recorded(Collection<Digest> digests);

    /**
     * Takes rows for digests that have none, for the rest of the transaction (an upload of one of
     * them waits until it ends, and then stores its bytes anew): the caller removes the orphan
     * files, then {@link #deleteBlobRows}.
     *
     * @throws RuntimeException when a row appeared meanwhile (the transaction must be rolled back)
     */
    void claimAbsent(Collection<Digest> digests, Instant now);
}
