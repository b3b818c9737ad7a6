package org.berth.application.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.ManifestDocument;
import org.berth.domain.MediaTypes;
import org.berth.domain.replication.Glob;
import org.berth.domain.replication.ReplicationRule;
import org.berth.domain.replication.ReplicationTask;
import org.berth.remote.BlobSource;
import org.berth.remote.RemoteFailure;
import org.berth.remote.RemoteManifest;
import org.junit.jupiter.api.Test;

/** The copy engine between two in-memory registries that record what was written, in order. */
class ArtifactCopyTest {

    /** A registry in memory: manifests by digest, tags, blobs, and the log of writes. */
    static final class Memory implements ReplicationEnd {
        final Map<String, RemoteManifest> manifests = new HashMap<>();
        final Map<String, String> tags = new HashMap<>();
        final Map<String, byte[]> blobs = new HashMap<>();
        final List<String> writes = new ArrayList<>();
        String refuseBlob;

        @Override
        public void repositories(Glob filter, Consumer<String> each) {
        }

        @Override
        public void tags(String repository, Consumer<List<String>> page) {
        }

        @Override
        public Optional<RemoteManifest> manifest(String repository, String reference) {
            return Optional.ofNullable(manifests.get(tags.getOrDefault(repository + ":" + reference, reference)));
        }

        @Override
        public Optional<String> resolve(String repository, String reference) {
            return manifest(repository, reference).map(RemoteManifest::digest);
        }

        @Override
        public List<Descriptor> referrers(String repository, String digest) {
            List<Descriptor> found = new ArrayList<>();
            for (RemoteManifest m : manifests.values()) {
                ManifestDocument d = ManifestDocument.parse(m.bytes(), m.mediaType());
                if (d.subject() != null && d.subject().digest().toString().equals(digest)) {
                    found.add(new Descriptor(m.mediaType(), Digest.parse(m.digest()), m.bytes().length, d.effectiveArtifactType()));
                }
            }
            return found;
        }

        @Override
        public boolean hasBlob(String repository, String digest) {
            return blobs.containsKey(digest);
        }

        @Override
        public BlobSource blob(String repository, String digest, long size) {
            return BlobSource.of(blobs.get(digest));
        }

        @Override
        public long putBlob(String repository, String digest, BlobSource source, LongConsumer progress) throws RemoteFailure {
            if (digest.equals(refuseBlob)) {
                throw new RemoteFailure(RemoteFailure.Reason.SERVER_ERROR, 500, "PUT /v2/x/blobs/uploads: 500");
            }
            try {
                byte[] bytes = source.open(0).readAllBytes();
                blobs.put(digest, bytes);
                writes.add("blob " + digest);
                progress.accept(bytes.length);
                return bytes.length;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean mount(String repository, String digest, String from) {
            return false;
        }

        @Override
        public void putManifest(String repository, String reference, RemoteManifest manifest) {
            ManifestDocument d = ManifestDocument.parse(manifest.bytes(), manifest.mediaType());
            if (d.isIndex()) {
                d.manifests().forEach(c -> assertTrue(manifests.containsKey(c.digest().toString()), "child before index"));
            } else {
                assertTrue(blobs.containsKey(d.config().digest().toString()), "config before manifest");
                d.layers().forEach(l -> assertTrue(blobs.containsKey(l.digest().toString()), "layers before manifest"));
            }
            if (d.subject() != null) {
                assertTrue(manifests.containsKey(d.subject().digest().toString()), "subject before referrer");
            }
            manifests.put(manifest.digest(), manifest);
            if (!reference.startsWith("sha256:")) {
                tags.put(repository + ":" + reference, manifest.digest());
            }
            writes.add("manifest " + reference);
        }

        @Override
        public boolean deleteManifest(String repository, String digest) {
            return manifests.remove(digest) != null;
        }

        @Override
        public Optional<String> refusesWrites(String repository) {
            return Optional.empty();
        }

        String blob(byte[] bytes) {
            String digest = Digest.sha256(bytes).toString();
            blobs.put(digest, bytes);
            return digest;
        }

        RemoteManifest put(String json, String mediaType, String tag, String repository) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            RemoteManifest m = new RemoteManifest(Digest.sha256(bytes).toString(), mediaType, bytes);
            manifests.put(m.digest(), m);
            if (tag != null) {
                tags.put(repository + ":" + tag, m.digest());
            }
            return m;
        }

        RemoteManifest image(String repository, String tag, String seed, String subject) {
            byte[] config = ("{\"os\":\"linux\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] layer = ("layer " + seed).getBytes(StandardCharsets.UTF_8);
            return put("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                    + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob(config) + "\",\"size\":" + config.length
                    + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + blob(layer)
                    + "\",\"size\":" + layer.length + "}]" + (subject == null ? "" : ",\"subject\":" + subject) + "}",
                    MediaTypes.OCI_MANIFEST, tag, repository);
        }
    }

    private final Memory source = new Memory();
    private final Memory destination = new Memory();
    private final long[] bytes = new long[2];

    private final boolean[] stop = new boolean[1];

    private ArtifactCopy copy(boolean override, String artifactType) {
        ReplicationRule rule = new ReplicationRule("r", "", ReplicationRule.Direction.PUSH, "reg",
                new ReplicationRule.Filters("", "", null, artifactType), new ReplicationRule.Destination("", null),
                new ReplicationRule.Trigger(null, null), override, false, 0, true, null, null);
        return new ArtifactCopy(source, destination, rule, new ArtifactCopy.Progress() {
            @Override
            public void toSend(long n) {
                bytes[0] += n;
            }

            @Override
            public void sent(long n) {
                bytes[1] += n;
            }

            @Override
            public boolean stopped() {
                return stop[0];
            }
        });
    }

    private static String descriptor(RemoteManifest m) {
        return "{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":" + m.bytes().length + "}";
    }

    @Test
    void anIndexGoesWithItsChildrenFirstAndAReferrerAfterItsSubject() {
        RemoteManifest amd = source.image("a/app", null, "amd", null);
        RemoteManifest arm = source.image("a/app", null, "arm", null);
        RemoteManifest index = source.put("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + descriptor(amd) + "," + descriptor(arm) + "]}", MediaTypes.OCI_INDEX, "v1", "a/app");
        RemoteManifest signature = source.image("a/app", null, "sig", descriptor(index));

        ArtifactCopy.Outcome outcome = copy(true, null).copy("a/app", "b/app", "v1", null);

        assertEquals(ReplicationTask.Status.SUCCEEDED, outcome.status(), outcome.toString());
        assertEquals(index.digest(), outcome.digest());
        assertEquals(index.digest(), destination.resolve("b/app", "v1").orElseThrow());
        assertTrue(destination.manifests.containsKey(signature.digest()));
        List<String> manifestWrites = destination.writes.stream().filter(w -> w.startsWith("manifest")).toList();
        assertEquals(List.of("manifest " + amd.digest(), "manifest " + arm.digest(), "manifest v1", "manifest " + signature.digest()),
                manifestWrites);
        assertTrue(outcome.bytes() > 0);
        assertEquals(bytes[0], bytes[1], "every byte to send was sent");
    }

    @Test
    void whatIsThereAlreadyIsSkippedAndSendsNothing() {
        source.image("a/app", "v1", "one", null);
        copy(true, null).copy("a/app", "a/app", "v1", null);
        int written = destination.writes.size();

        ArtifactCopy.Outcome again = copy(true, null).copy("a/app", "a/app", "v1", null);

        assertEquals(ReplicationTask.Status.SKIPPED, again.status());
        assertEquals("already at the destination", again.message());
        assertEquals(0, again.bytes());
        assertEquals(written, destination.writes.size());
    }

    @Test
    void aReferrerAddedLaterIsCopiedToASubjectThatIsThere() {
        RemoteManifest image = source.image("a/app", "v1", "one", null);
        copy(true, null).copy("a/app", "a/app", "v1", null);
        RemoteManifest sbom = source.image("a/app", null, "sbom", descriptor(image));

        ArtifactCopy.Outcome outcome = copy(true, null).copy("a/app", "a/app", "v1", null);

        assertEquals(ReplicationTask.Status.SUCCEEDED, outcome.status());
        assertTrue(destination.manifests.containsKey(sbom.digest()));
    }

    @Test
    void withoutOverrideATagThatPointsElsewhereIsLeftAlone() {
        source.image("a/app", "v1", "new", null);
        RemoteManifest theirs = destination.image("a/app", "v1", "theirs", null);

        ArtifactCopy.Outcome kept = copy(false, null).copy("a/app", "a/app", "v1", null);
        assertEquals(ReplicationTask.Status.SKIPPED, kept.status());
        assertTrue(kept.message().contains("does not override"), kept.message());
        assertEquals(theirs.digest(), destination.resolve("a/app", "v1").orElseThrow());

        ArtifactCopy.Outcome replaced = copy(true, null).copy("a/app", "a/app", "v1", null);
        assertEquals(ReplicationTask.Status.SUCCEEDED, replaced.status());
        assertEquals(source.resolve("a/app", "v1").orElseThrow(), destination.resolve("a/app", "v1").orElseThrow());
    }

    @Test
    void aRefusedLayerFailsTheTaskNamingItAndNoManifestIsWritten() {
        RemoteManifest image = source.image("a/app", "v1", "one", null);
        String layer = ManifestDocument.parse(image.bytes(), image.mediaType()).layers().get(0).digest().toString();
        destination.refuseBlob = layer;

        ArtifactCopy.Outcome outcome = copy(true, null).copy("a/app", "a/app", "v1", null);

        assertEquals(ReplicationTask.Status.FAILED, outcome.status());
        assertTrue(outcome.message().startsWith("the destination refused the layer " + layer + ": "), outcome.message());
        assertTrue(destination.manifests.isEmpty(), "nothing half copied");
    }

    @Test
    void aStopCutsTheBlobUnderWayShortAndNoManifestIsWritten() {
        RemoteManifest image = source.image("a/app", "v1", "one", null);
        String config = ManifestDocument.parse(image.bytes(), image.mediaType()).config().digest().toString();
        stop[0] = true;

        ArtifactCopy.Outcome outcome = copy(true, null).copy("a/app", "a/app", "v1", null);

        assertEquals(ReplicationTask.Status.FAILED, outcome.status());
        assertTrue(outcome.message().startsWith("stopped by request while the config " + config + " was copied"),
                outcome.message());
        assertTrue(destination.blobs.isEmpty(), "no byte of the blob was taken");
        assertTrue(destination.manifests.isEmpty(), "nothing half copied");
    }

    @Test
    void theArtifactTypeFilterSkips() {
        source.image("a/app", "v1", "one", null);
        ArtifactCopy.Outcome outcome = copy(true, "index").copy("a/app", "a/app", "v1", null);
        assertEquals(ReplicationTask.Status.SKIPPED, outcome.status());
        assertTrue(destination.writes.isEmpty());
    }

    @Test
    void aMissingSourceFailsAndADeletionIsOnlyOfTheSameDigest() {
        assertEquals(ReplicationTask.Status.FAILED, copy(true, null).copy("a/app", "a/app", "gone", null).status());

        RemoteManifest there = destination.image("a/app", "v1", "one", null);
        ArtifactCopy deleter = copy(true, null);
        assertEquals(ReplicationTask.Status.SKIPPED, deleter.delete("a/app", "v1", "sha256:" + "0".repeat(64)).status());
        assertTrue(destination.manifests.containsKey(there.digest()));
        assertEquals(ReplicationTask.Status.SUCCEEDED, deleter.delete("a/app", "v1", there.digest()).status());
        assertEquals(Set.of(), new HashSet<>(destination.manifests.keySet()));
        assertEquals(ReplicationTask.Status.SKIPPED, deleter.delete("a/app", null, there.digest()).status());
    }
}
