package org.berth.application.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.berth.domain.Descriptor;
import org.berth.domain.ManifestDocument;
import org.berth.domain.MediaTypes;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationTask;
import org.berth.remote.BlobSource;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteManifest;

/**
 * Copies one artifact with everything it needs, from one end to the other (issue 21): an index
 * with all its children, an image with its config and layers, then its referrers (signatures,
 * SBOMs, attestations, and theirs) with their subject. Blobs the destination has are skipped (a
 * HEAD) or mounted from a repository this execution sent them to; the rest are pushed (big ones
 * in chunks that resume, by the client). Manifests go last, children before their index and a
 * subject before its referrers, so the destination never shows a manifest whose content is
 * missing. One instance per execution (it remembers where blobs went); not thread-safe.
 */
final class ArtifactCopy {

    /** Referrers followed from one artifact (referrers of referrers included). */
    static final int MAX_REFERRERS = 1000;
    /** How deep referrers of referrers are followed. */
    static final int MAX_REFERRER_DEPTH = 4;
    private static final int MAX_REMEMBERED_BLOBS = 10_000;

    /** What a task came to. {@code message}: the error of a failure, or why it was skipped. */
    record Outcome(ReplicationTask.Status status, String digest, long bytes, String message) {

        static Outcome failed(String digest, long bytes, String message) {
            return new Outcome(ReplicationTask.Status.FAILED, digest, bytes, message);
        }
    }

    /** Told the bytes of the blobs to send and sent, for the execution's progress. */
    interface Progress {
        void toSend(long bytes);

        void sent(long bytes);

        /** True once the execution is asked to stop: a blob under way is cut short at its next read. */
        default boolean stopped() {
            return false;
        }
    }

    /** A failure of the copy with a message that names what failed. */
    static final class CopyFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CopyFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ReplicationEnd source;
    private final ReplicationEnd destination;
    private final ReplicationRule rule;
    private final Progress progress;
    /** Blob digest to a destination repository this execution put it in: a mount source. */
    private final Map<String, String> placed = new LinkedHashMap<>();
    private long sent;

    ArtifactCopy(ReplicationEnd source, ReplicationEnd destination, ReplicationRule rule, Progress progress) {
        this.source = source;
        this.destination = destination;
        this.rule = rule;
        this.progress = progress;
    }

    /** Copies {@code from:reference} (a tag, or a digest when {@code tag} is null) to {@code to}. */
    Outcome copy(String from, String to, String tag, String digest) {
        sent = 0;
        String reference = tag != null ? tag : digest;
        String resolved = null;
        try {
            Optional<String> refused = destination.refusesWrites(to);
            if (refused.isPresent()) {
                return Outcome.failed(null, 0, refused.get());
            }
            RemoteManifest manifest = source.manifest(from, reference).orElse(null);
            if (manifest == null) {
                return Outcome.failed(null, 0, from + ":" + reference + " is not at the source (deleted since it was listed?)");
            }
            resolved = manifest.digest();
            ManifestDocument document = parse(manifest);
            if (!rule.filters().acceptsArtifact(manifest.mediaType(), document.effectiveArtifactType())) {
                return new Outcome(ReplicationTask.Status.SKIPPED, resolved, 0, "artifact type "
                        + Optional.ofNullable(document.effectiveArtifactType()).orElse(manifest.mediaType())
                        + " is not the rule's " + rule.filters().artifactType());
            }
            Optional<String> there = destination.resolve(to, reference);
            if (tag != null && there.isPresent() && !there.get().equals(resolved) && !rule.override()) {
                return new Outcome(ReplicationTask.Status.SKIPPED, resolved, 0, "the destination's tag " + tag
                        + " points at " + there.get() + " and the rule does not override");
            }
            List<RemoteManifest> referrers = referrers(from, manifest);
            List<RemoteManifest> missing = new ArrayList<>();
            for (RemoteManifest referrer : referrers) {
                if (destination.resolve(to, referrer.digest()).isEmpty()) {
                    missing.add(referrer);
                }
            }
            if (there.isPresent() && there.get().equals(resolved) && missing.isEmpty()) {
                return new Outcome(ReplicationTask.Status.SKIPPED, resolved, 0, "already at the destination");
            }
            if (there.isEmpty() || !there.get().equals(resolved)) {
                put(from, to, manifest, document, reference, 0);
            }
            for (RemoteManifest referrer : missing) {
                put(from, to, referrer, parse(referrer), referrer.digest(), 0);
            }
            return new Outcome(ReplicationTask.Status.SUCCEEDED, resolved, sent, null);
        } catch (CopyFailed e) {
            return Outcome.failed(resolved, sent, e.getMessage());
        } catch (RemoteFailure e) {
            return Outcome.failed(resolved, sent, e.getMessage());
        } catch (RuntimeException e) {
            return Outcome.failed(resolved, sent, describe(e));
        }
    }

    /**
     * Deletes at the destination what was deleted here: the artifact of that digest; for a tag,
     * only when the destination's tag still points at the digest the tag had here (registries
     * without tag deletion, as Distribution, delete the artifact and its tags).
     */
    Outcome delete(String to, String tag, String digest) {
        try {
            if (digest == null) {
                return new Outcome(ReplicationTask.Status.SKIPPED, null, 0, "the deleted tag pointed at nothing known");
            }
            if (tag != null) {
                Optional<String> there = destination.resolve(to, tag);
                if (there.isEmpty() || !there.get().equals(digest)) {
                    return new Outcome(ReplicationTask.Status.SKIPPED, digest, 0,
                            "the destination's tag " + tag + " does not point at " + digest);
                }
            }
            return destination.deleteManifest(to, digest) ? new Outcome(ReplicationTask.Status.SUCCEEDED, digest, 0, null)
                    : new Outcome(ReplicationTask.Status.SKIPPED, digest, 0, "not at the destination");
        } catch (RemoteFailure e) {
            return Outcome.failed(digest, 0, "delete " + to + "@" + digest + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Outcome.failed(digest, 0, describe(e));
        }
    }

    /** Puts what the manifest references, then the manifest under {@code reference}. */
    private void put(String from, String to, RemoteManifest manifest, ManifestDocument document, String reference, int depth)
            throws RemoteFailure, CopyFailed {
        if (document.isIndex()) {
            if (depth > 2) {
                throw new CopyFailed("index " + manifest.digest() + " nests indexes deeper than Berth copies", null);
            }
            for (Descriptor child : document.manifests()) {
                String digest = child.digest().toString();
                if (destination.resolve(to, digest).isPresent()) {
                    continue;
                }
                RemoteManifest childManifest = source.manifest(from, digest).orElseThrow(() -> new CopyFailed(
                        "index " + manifest.digest() + " names " + digest + ", which is not at the source", null));
                put(from, to, childManifest, parse(childManifest), digest, depth + 1);
            }
        } else {
            blob(from, to, document.config(), "config");
            for (Descriptor layer : document.layers()) {
                if (!MediaTypes.isForeignLayer(layer.mediaType())) {
                    blob(from, to, layer, "layer");
                }
            }
        }
        try {
            destination.putManifest(to, reference, manifest);
        } catch (RemoteFailure f) {
            throw new CopyFailed("the destination refused the manifest " + to + ":" + reference + ": " + f.getMessage(), f);
        }
    }

    private void blob(String from, String to, Descriptor descriptor, String kind) throws CopyFailed {
        if (descriptor == null) {
            return;
        }
        String digest = descriptor.digest().toString();
        try {
            if (destination.hasBlob(to, digest) || destination.mount(to, digest, placed.get(digest))) {
                remember(digest, to);
                return;
            }
        } catch (RemoteFailure f) {
            throw new CopyFailed("the destination could not be asked for the " + kind + " " + digest + ": " + f.getMessage(), f);
        }
        progress.toSend(descriptor.size());
        BlobProgress through = new BlobProgress(descriptor.size());
        try {
            sent += destination.putBlob(to, digest, stoppable(source.blob(from, digest, descriptor.size())), through);
        } catch (RemoteFailure f) {
            throw failed("the destination refused the " + kind + " " + digest + ": " + f.getMessage(), f, kind, digest);
        } catch (RuntimeException e) {
            throw failed("the " + kind + " " + digest + " was not copied: " + describe(e), e, kind, digest);
        }
        through.done();
        remember(digest, to);
    }

    /** The failure, or that the execution was stopped when that is why the blob did not go. */
    private CopyFailed failed(String message, Exception cause, String kind, String digest) {
        return new CopyFailed(progress.stopped() ? "stopped by request while the " + kind + " " + digest + " was copied"
                : message, cause);
    }

    /** The blob's bytes, cut short by a {@link StoppedByRequest} once the execution is asked to stop. */
    private BlobSource stoppable(BlobSource blob) {
        return new BlobSource() {
            @Override
            public long size() {
                return blob.size();
            }

            @Override
            public InputStream open(long offset) throws IOException {
                return new FilterInputStream(blob.open(offset)) {
                    @Override
                    public int read() throws IOException {
                        if (progress.stopped()) {
                            throw new StoppedByRequest();
                        }
                        return super.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (progress.stopped()) {
                            throw new StoppedByRequest();
                        }
                        return super.read(b, off, len);
                    }
                };
            }
        };
    }

    /** A blob's read ended because its execution was asked to stop. */
    static final class StoppedByRequest extends IOException {
        private static final long serialVersionUID = 1L;

        StoppedByRequest() {
            super("the replication was stopped by request");
        }
    }

    /**
     * What of one blob is through, told to the execution's progress at most once a second (and at
     * the end), never more than the blob's size, never going back: a resumed chunk is counted once.
     */
    private final class BlobProgress implements java.util.function.LongConsumer {
        private final long size;
        private long reported;
        private long reportedAt = System.nanoTime();

        BlobProgress(long size) {
            this.size = size;
        }

        @Override
        public void accept(long bytes) {
            long now = System.nanoTime();
            if (now - reportedAt >= 1_000_000_000L && bytes > reported) {
                long through = Math.min(bytes, size);
                progress.sent(through - reported);
                reported = through;
                reportedAt = now;
            }
        }

        void done() {
            if (size > reported) {
                progress.sent(size - reported);
                reported = size;
            }
        }
    }

    private void remember(String digest, String repository) {
        if (placed.size() < MAX_REMEMBERED_BLOBS) {
            placed.putIfAbsent(digest, repository);
        }
    }

    /** The artifact's referrers and theirs, breadth first (each after its subject). */
    private List<RemoteManifest> referrers(String from, RemoteManifest subject) throws RemoteFailure, CopyFailed {
        List<RemoteManifest> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(subject.digest());
        Deque<String[]> queue = new ArrayDeque<>();
        queue.add(new String[] {subject.digest(), "0"});
        while (!queue.isEmpty()) {
            String[] next = queue.poll();
            int depth = Integer.parseInt(next[1]);
            if (depth >= MAX_REFERRER_DEPTH) {
                continue;
            }
            for (Descriptor d : source.referrers(from, next[0])) {
                String digest = d.digest().toString();
                if (!seen.add(digest)) {
                    continue;
                }
                if (found.size() >= MAX_REFERRERS) {
                    throw new CopyFailed(subject.digest() + " has more than " + MAX_REFERRERS + " referrers", null);
                }
                Optional<RemoteManifest> referrer = source.manifest(from, digest);
                if (referrer.isPresent()) { // deleted since it was listed: nothing to copy
                    found.add(referrer.get());
                    queue.add(new String[] {digest, String.valueOf(depth + 1)});
                }
            }
        }
        return found;
    }

    private static ManifestDocument parse(RemoteManifest manifest) throws CopyFailed {
        try {
            return ManifestDocument.parse(manifest.bytes(), manifest.mediaType());
        } catch (RuntimeException e) {
            throw new CopyFailed("the source's manifest " + manifest.digest() + " is not one Berth copies: " + describe(e), e);
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
