package org.berth.application.gc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.Digest;
import org.berth.domain.gc.GarbageKind;
import org.berth.domain.gc.GcCandidates;
import org.berth.domain.gc.GcRun;
import org.berth.domain.gc.ManifestMarking;
import org.berth.storage.BlobStore;
import org.berth.storage.StoredFile;
import org.berth.storage.UploadStore;

/**
 * Runs one garbage collection, phase by phase, reading candidates a page at a time:
 * <ol>
 * <li>upload sessions that received no byte for the upload expiry go, with their bytes;</li>
 * <li>with {@code delete_untagged}, untagged manifests that nothing keeps ({@link ManifestMarking});</li>
 * <li>links to blobs that no manifest of their repository references, untouched for the grace period;</li>
 * <li>blobs that nothing links or references, untouched for the grace period;</li>
 * <li>files under {@code blobs/} and {@code tmp/} that no row names, older than the grace period.</li>
 * </ol>
 * A dry run reads the same pages and deletes nothing. The cutoffs are fixed when the run starts:
 * whatever a push touched after that is kept. Progress is written at least every second (the
 * heartbeat); a request to stop is seen within one batch.
 */
@ApplicationScoped
public class GcRunner {

    private static final Logger LOG = Logger.getLogger(GcRunner.class.getName());

    /** Candidates per page (and per deleting transaction). */
    static final int PAGE = 500;
    /** Manifests per page of the marking (whole repositories: a page may hold more). */
    static final int MANIFEST_PAGE = 2000;
    /** Manifests per deleting transaction. */
    static final int MANIFEST_BATCH = 100;
    /** Orphan files per transaction. */
    static final int ORPHAN_BATCH = 200;
    /** Progress is written (and a cancel from another server read) at least this often. */
    static final long SAVE_EVERY_MILLIS = 500;
    /** The history keeps this many runs. */
    static final int HISTORY = 50;
    /** Failed batches in a row after which a run gives up (the database is down, the disk is gone). */
    static final int MAX_FAILED_BATCHES = 5;

    @Inject
    GcSteps steps;

    @Inject
    GcSettings settings;

    @Inject
    UploadStore uploads;

    @Inject
    BlobStore store;

    /** The run was asked to stop. */
    static final class Stopped extends RuntimeException {
        final GcRun.State state;

        Stopped(GcRun.State state) {
            super(null, null, false, false);
            this.state = state;
        }
    }

    /** The run as it went: its state and its report. */
    GcRun execute(RunState run) {
        Instant started = run.begun().startedAt();
        Instant cutoff = started.minus(settings.grace());
        Instant linkCutoff = cutoff.minus(settings.headRefresh());
        Instant uploadCutoff = started.minus(settings.uploadExpiry());
        Checkpoint checkpoint = new Checkpoint(run);
        GcRun.State result;
        try {
            steps.clearDoomed(run.id());
            expireUploads(run, uploadCutoff, checkpoint);
            if (run.deleteUntagged()) {
                deleteUntagged(run, cutoff, checkpoint);
            }
            deleteLinks(run, linkCutoff, checkpoint);
            deleteBlobs(run, cutoff, linkCutoff, checkpoint);
            deleteOrphans(run, cutoff, checkpoint);
            result = GcRun.State.SUCCEEDED;
        } catch (Stopped e) {
            result = e.state;
            if (e.state == GcRun.State.INTERRUPTED) {
                run.error("Berth stopped while the run was going; the next run finishes its work");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "garbage collection run " + run.id() + " failed", e);
            run.error("the run failed: " + describe(e));
            result = GcRun.State.FAILED;
        }
        try {
            steps.clearDoomed(run.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "garbage collection run " + run.id() + ": its notes could not be cleared", e);
        }
        run.finish(result, Instant.now());
        GcRun ended = run.snapshot();
        try {
            steps.finish(ended, Instant.now(), HISTORY);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "garbage collection run " + run.id() + ": its end could not be recorded", e);
        }
        return ended;
    }

    // ------------------------------------------------------------------ phases

    private void expireUploads(RunState run, Instant idleSince, Checkpoint checkpoint) {
        run.phase(GcRun.Phase.UPLOADS, 0);
        try (Stream<UploadStore.SessionInfo> sessions = uploads.sessions()) {
            Iterator<UploadStore.SessionInfo> it = sessions.iterator();
            while (it.hasNext()) {
                UploadStore.SessionInfo session = it.next();
                run.scanned(1);
                if (session.lastWrite().isBefore(idleSince)) {
                    if (run.dryRun()) {
                        run.count(GarbageKind.UPLOAD, session.size(), session.repository());
                    } else {
                        long freed = uploads.expire(session.id(), idleSince);
                        if (freed >= 0) {
                            run.count(GarbageKind.UPLOAD, freed, session.repository());
                        }
                    }
                }
                checkpoint.now();
            }
        }
    }

    private void deleteUntagged(RunState run, Instant cutoff, Checkpoint checkpoint) {
        long total = steps.countManifests();
        run.phase(GcRun.Phase.MANIFESTS, total);
        long after = 0;
        long seen = 0;
        while (true) {
            long from = after;
            List<ManifestMarking.Node> page = checkpoint.batch(() -> steps.manifests(from, MANIFEST_PAGE));
            if (page.isEmpty()) {
                return;
            }
            Map<Long, List<ManifestMarking.Node>> byRepository = new LinkedHashMap<>();
            page.forEach(n -> byRepository.computeIfAbsent(n.repositoryId(), k -> new ArrayList<>()).add(n));
            for (List<ManifestMarking.Node> repository : byRepository.values()) {
                List<ManifestMarking.Node> doomed = ManifestMarking.doomed(repository, cutoff);
                run.scanned(repository.size());
                if (run.dryRun()) {
                    doomed.forEach(n -> run.count(GarbageKind.MANIFEST, n.size(), n.repository()));
                    if (!doomed.isEmpty()) {
                        checkpoint.batch(() -> {
                            steps.markDoomed(run.id(), doomed.stream().map(ManifestMarking.Node::id).toList());
                            return null;
                        });
                    }
                } else {
                    deleteInOrder(run, doomed, cutoff, checkpoint);
                }
                checkpoint.now();
            }
            after = page.get(page.size() - 1).repositoryId();
            seen += page.size();
            run.position((double) seen / Math.max(1, total));
        }
    }

    /**
     * Deletes doomed manifests in their order; one that its check refuses because a doomed parent or
     * subject is still there goes in a later pass, once that one is gone.
     */
    private void deleteInOrder(RunState run, List<ManifestMarking.Node> doomed, Instant cutoff, Checkpoint checkpoint) {
        List<ManifestMarking.Node> remaining = doomed;
        for (int pass = 0; pass < 8 && !remaining.isEmpty(); pass++) {
            List<ManifestMarking.Node> kept = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i += MANIFEST_BATCH) {
                List<ManifestMarking.Node> batch = remaining.subList(i, Math.min(remaining.size(), i + MANIFEST_BATCH));
                Set<Long> deleted = checkpoint.batch(() -> steps.deleteManifests(
                        batch.stream().map(ManifestMarking.Node::id).toList(), cutoff));
                for (ManifestMarking.Node n : batch) {
                    if (deleted.contains(n.id())) {
                        run.count(GarbageKind.MANIFEST, n.size(), n.repository());
                    } else {
                        kept.add(n);
                    }
                }
                checkpoint.now();
            }
            if (kept.size() == remaining.size()) {
                return; // no progress: the rest is kept (tagged, referenced or pushed again meanwhile)
            }
            remaining = kept;
        }
    }

    private void deleteLinks(RunState run, Instant linkCutoff, Checkpoint checkpoint) {
        run.phase(GcRun.Phase.LINKS, steps.countLinks());
        Long doomedRun = run.dryRun() && run.deleteUntagged() ? run.id() : null;
        long afterRepository = -1;
        String afterDigest = "";
        while (true) {
            long repo = afterRepository;
            String digest = afterDigest;
            List<GcCandidates.Link> page = checkpoint.batch(() -> steps.links(repo, digest, PAGE, linkCutoff, doomedRun));
            if (page.isEmpty()) {
                return;
            }
            run.scanned(page.size());
            List<GcCandidates.Link> deleted = run.dryRun() ? page : checkpoint.batch(() -> steps.deleteLinks(page, linkCutoff));
            deleted.forEach(l -> run.count(GarbageKind.LINK, l.size(), l.repository()));
            GcCandidates.Link last = page.get(page.size() - 1);
            afterRepository = last.repositoryId();
            afterDigest = last.digest().toString();
            checkpoint.now();
        }
    }

    private void deleteBlobs(RunState run, Instant cutoff, Instant linkCutoff, Checkpoint checkpoint) {
        run.phase(GcRun.Phase.BLOBS, steps.countBlobs());
        Long doomedRun = run.dryRun() && run.deleteUntagged() ? run.id() : null;
        String after = "";
        while (true) {
            String from = after;
            List<GcCandidates.Blob> page = checkpoint.batch(() -> steps.blobs(from, PAGE, cutoff, linkCutoff, run.dryRun(), doomedRun));
            if (page.isEmpty()) {
                return;
            }
            run.scanned(page.size());
            if (run.dryRun()) {
                page.forEach(b -> run.count(GarbageKind.BLOB, b.size(), null));
            } else {
                GcSteps.Removed removed = checkpoint.batch(() ->
                        steps.deleteBlobs(page.stream().map(GcCandidates.Blob::digest).toList(), cutoff));
                removed.blobs().forEach(b -> run.count(GarbageKind.BLOB, b.size(), null));
                removed.errors().forEach(run::error);
            }
            after = page.get(page.size() - 1).digest().toString();
            run.position(keyFraction(page.get(page.size() - 1).digest()));
            checkpoint.now();
        }
    }

    private void deleteOrphans(RunState run, Instant cutoff, Checkpoint checkpoint) {
        run.phase(GcRun.Phase.ORPHANS, steps.countBlobs());
        try (Stream<StoredFile> files = store.blobFiles()) {
            Iterator<StoredFile> it = files.iterator();
            List<StoredFile> chunk = new ArrayList<>(PAGE);
            while (it.hasNext()) {
                chunk.add(it.next());
                if (chunk.size() == PAGE || !it.hasNext()) {
                    sweepOrphans(run, chunk, cutoff, checkpoint);
                    StoredFile last = chunk.get(chunk.size() - 1);
                    if (last.digest() != null) {
                        run.position(keyFraction(last.digest()));
                    }
                    chunk = new ArrayList<>(PAGE);
                    checkpoint.now();
                }
            }
        }
        try (Stream<StoredFile> files = store.scratchFiles()) {
            Iterator<StoredFile> it = files.iterator();
            while (it.hasNext()) {
                StoredFile file = it.next();
                run.scanned(1);
                if (file.modified().isBefore(cutoff)) {
                    long freed = run.dryRun() ? file.size() : store.deleteFile(file);
                    if (run.dryRun() || freed > 0 || file.size() == 0) {
                        run.count(GarbageKind.ORPHAN, freed, null);
                    }
                }
                checkpoint.now();
            }
        }
    }

    private void sweepOrphans(RunState run, List<StoredFile> chunk, Instant cutoff, Checkpoint checkpoint) {
        run.scanned(chunk.size());
        List<StoredFile> old = chunk.stream().filter(f -> f.modified().isBefore(cutoff)).toList();
        if (old.isEmpty()) {
            return;
        }
        Set<Digest> recorded = checkpoint.batch(() -> steps.recorded(old.stream().map(StoredFile::digest)
                .filter(d -> d != null).collect(Collectors.toSet())));
        List<StoredFile> orphans = old.stream().filter(f -> f.digest() == null || !recorded.contains(f.digest())).toList();
        if (orphans.isEmpty()) {
            return;
        }
        if (run.dryRun()) {
            orphans.forEach(f -> run.count(GarbageKind.ORPHAN, f.size(), null));
            return;
        }
        for (int i = 0; i < orphans.size(); i += ORPHAN_BATCH) {
            List<StoredFile> batch = orphans.subList(i, Math.min(orphans.size(), i + ORPHAN_BATCH));
            Instant now = Instant.now();
            try {
                steps.deleteOrphans(batch, now).forEach(f -> run.count(GarbageKind.ORPHAN, f.size(), null));
            } catch (RuntimeException e) {
                // one of them got a row meanwhile (an upload of the same digest): one at a time
                for (StoredFile file : batch) {
                    try {
                        steps.deleteOrphans(List.of(file), Instant.now()).forEach(f -> run.count(GarbageKind.ORPHAN, f.size(), null));
                    } catch (RuntimeException again) {
                        if (file.digest() == null || !steps.recorded(Set.of(file.digest())).contains(file.digest())) {
                            run.error("orphan file " + file.name() + " could not be removed: " + describe(again));
                        }
                    }
                }
            }
        }
    }

    /** Where a digest lies in its key space, from 0 to 1: digests are uniform, so this is how far a sweep in digest order got. */
    static double keyFraction(Digest digest) {
        String hex = digest.hex();
        return Long.parseLong(hex.substring(0, Math.min(12, hex.length())), 16) / Math.pow(16, Math.min(12, hex.length()));
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s+", " ").trim();
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    // ------------------------------------------------------------------ progress, heartbeat, stopping

    /** Writes progress at least every {@link #SAVE_EVERY_MILLIS} ms, and ends the run when asked to stop. */
    final class Checkpoint {
        private final RunState run;
        private long savedAt = System.nanoTime();
        private int failedInARow;

        Checkpoint(RunState run) {
            this.run = run;
        }

        /** Throws {@link Stopped} when the run was asked to stop; writes the progress when it is due. */
        void now() {
            if (System.nanoTime() - savedAt >= SAVE_EVERY_MILLIS * 1_000_000) {
                savedAt = System.nanoTime();
                try {
                    if (steps.save(run.snapshot(), Instant.now())) {
                        run.stop(GcRun.State.CANCELLED);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "garbage collection run " + run.id() + ": progress not recorded", e);
                }
            }
            GcRun.State stop = run.stopRequested();
            if (stop != null) {
                throw new Stopped(stop);
            }
        }

        /**
         * Runs one transaction of the run, again after a failure (a deadlock, a lost connection):
         * every step checks again what it deletes, so a repeat is harmless. After
         * {@link #MAX_FAILED_BATCHES} failures in a row the run fails.
         */
        <T> T batch(java.util.function.Supplier<T> work) {
            while (true) {
                now();
                try {
                    T result = work.get();
                    failedInARow = 0;
                    return result;
                } catch (RuntimeException e) {
                    if (++failedInARow >= MAX_FAILED_BATCHES) {
                        throw e;
                    }
                    LOG.log(Level.WARNING, "garbage collection run " + run.id() + ": a transaction failed; trying again", e);
                    try {
                        Thread.sleep(200L * failedInARow);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new Stopped(GcRun.State.INTERRUPTED);
                    }
                }
            }
        }
    }
}
