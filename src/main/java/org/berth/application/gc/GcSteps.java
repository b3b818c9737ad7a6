package org.berth.application.gc;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.Digest;
import org.berth.domain.gc.GcCandidates;
import org.berth.domain.gc.GcRun;
import org.berth.domain.gc.GcRunStore;
import org.berth.domain.gc.ManifestMarking;
import org.berth.storage.BlobStore;
import org.berth.storage.StoredFile;

/**
 * The transactions of a garbage collection run, each short and of its own: a page of candidates
 * read, or one batch deleted under the rows' locks. Files are removed inside the transaction that
 * holds their rows, so that no push can link a blob between the check and the removal; a crash
 * in between rolls the rows back, and the next run finds them again (a row whose file is already
 * gone is no harm: nobody links a blob without finding its file, under the same lock).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class GcSteps {

    @Inject
    GcCandidates candidates;

    @Inject
    GcRunStore runs;

    @Inject
    BlobStore store;

    /** What a batch of blob deletions did. */
    public record Removed(List<GcCandidates.Blob> blobs, List<String> errors) {
    }

    public long countManifests() {
        return candidates.countManifests();
    }

    public long countLinks() {
        return candidates.countLinks();
    }

    public long countBlobs() {
        return candidates.countBlobs();
    }

    public List<ManifestMarking.Node> manifests(long afterRepositoryId, int limit) {
        return candidates.manifests(afterRepositoryId, limit);
    }

    public void markDoomed(long runId, Collection<Long> ids) {
        candidates.markDoomed(runId, ids);
    }

    public void clearDoomed(long runId) {
        candidates.clearDoomed(runId);
    }

    public Set<Long> deleteManifests(Collection<Long> ids, Instant cutoff) {
        return candidates.deleteManifests(ids, cutoff);
    }

    public List<GcCandidates.Link> links(long afterRepositoryId, String afterDigest, int limit, Instant linkCutoff, Long doomedRun) {
        return candidates.links(afterRepositoryId, afterDigest, limit, linkCutoff, doomedRun);
    }

    public List<GcCandidates.Link> deleteLinks(Collection<GcCandidates.Link> links, Instant linkCutoff) {
        return candidates.deleteLinks(links, linkCutoff);
    }

    public List<GcCandidates.Blob> blobs(String afterDigest, int limit, Instant cutoff, Instant linkCutoff, boolean dryRun,
                                         Long doomedRun) {
        return candidates.blobs(afterDigest, limit, cutoff, linkCutoff, dryRun, doomedRun);
    }

    /**
     * Locks the blobs' rows, removes the files of those still garbage and then their rows, in one
     * transaction. A file that cannot be removed keeps its row (and is reported).
     */
    public Removed deleteBlobs(Collection<Digest> digests, Instant cutoff) {
        List<GcCandidates.Blob> removed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (GcCandidates.Blob blob : candidates.lockGarbageBlobs(digests, cutoff)) {
            try {
                removed.add(new GcCandidates.Blob(blob.digest(), store.delete(blob.digest())));
            } catch (UncheckedIOException e) {
                errors.add("blob " + blob.digest() + " could not be removed: " + e.getCause());
            }
        }
        candidates.deleteBlobRows(removed.stream().map(GcCandidates.Blob::digest).toList());
        return new Removed(removed, errors);
    }

    public Set<Digest> recorded(Collection<Digest> digests) {
        return candidates.recorded(digests);
    }

    /**
     * Removes orphan files (no row names them) while holding rows for their digests, so that an
     * upload of one of them waits and then stores its bytes anew.
     *
     * @return the files removed, with their sizes
     * @throws RuntimeException when a row appeared for one of them meanwhile (nothing was removed)
     */
    public List<StoredFile> deleteOrphans(Collection<StoredFile> files, Instant now) {
        candidates.claimAbsent(files.stream().map(StoredFile::digest).filter(d -> d != null).toList(), now);
        List<StoredFile> removed = new ArrayList<>();
        for (StoredFile file : files) {
            long freed = store.deleteFile(file);
            if (freed > 0 || file.size() == 0) {
                removed.add(new StoredFile(file.name(), file.digest(), freed, file.modified()));
            }
        }
        candidates.deleteBlobRows(files.stream().map(StoredFile::digest).filter(d -> d != null).toList());
        return removed;
    }

    /** Writes the run's progress and heartbeat; answers whether someone asked it to stop. */
    public boolean save(GcRun run, Instant now) {
        runs.update(run, now);
        return runs.cancelRequested(run.id());
    }

    public void finish(GcRun run, Instant now, int keep) {
        runs.update(run, now);
        runs.prune(keep);
    }
}
