package org.berth.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.policy.ImmutableTagGuard;
import org.berth.application.proxy.ProxyCache;
import org.berth.application.proxy.ProxyProjects;
import org.berth.application.replication.ReplicationTriggers;
import org.berth.application.webhook.WebhookEvents;
import org.berth.domain.BlobLinks;
import org.berth.domain.BlobRecords;
import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.berth.domain.ManifestDocument;
import org.berth.domain.ManifestReference;
import org.berth.domain.ManifestStore;
import org.berth.domain.MediaTypes;
import org.berth.domain.Reference;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;
import org.berth.domain.Tag;
import org.berth.domain.UniqueViolations;
import org.berth.domain.proxy.ProxyProject;
import org.berth.storage.BlobStore;

/** Pushing, pulling and deleting manifests, and the referrers of a manifest. */
@ApplicationScoped
public class ManifestService {

    @Inject
    ManifestStore manifests;

    @Inject
    BlobLinks links;

    @Inject
    BlobStore blobs;

    @Inject
    BlobRecords blobRecords;

    @Inject
    QuotaService quotas;

    @Inject
    PullCounter pulls;

    @Inject
    ImmutableTagGuard immutableTags;

    @Inject
    ProxyProjects proxies;

    @Inject
    ProxyCache cache;

    @Inject
    WebhookEvents events;

    @Inject
    ReplicationTriggers replication;

    /** A manifest and its exact bytes. */
    public record Content(StoredManifest manifest, byte[] bytes) {
    }

    /** A manifest that refers to another through its subject, as the referrers API lists it. */
    public record Referrer(Descriptor descriptor, Map<String, String> annotations) {
    }

    /**
     * Validates and stores a manifest pushed by tag or digest (OCI dist-spec "Pushing Manifests").
     *
     * @return the stored manifest (its digest, and subject if any)
     */
    // The transaction is QuotaService.admit's, not this method's: when two pushes of one manifest
    // (or one tag) race for a unique key, the loser's transaction is rolled back whole and runs once
    // more, now finding the winner's rows.
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public StoredManifest put(RepositoryName repository, Reference reference, byte[] bytes, String contentType) {
        ManifestDocument document = ManifestDocument.parse(bytes, contentType);
        Digest digest = digestOf(reference, bytes);
        checkReferences(repository, document);
        return record(repository, reference, bytes, document, digest, true);
    }

    /**
     * Stores a manifest a proxy-cache project fetched from its upstream registry: validated like a
     * push, but its blobs and child manifests are fetched when a client asks for them, so they need
     * not be there yet; the upstream decides what a tag points at, so immutable-tag rules do not
     * apply.
     *
     * @param reference the tag to point at it, or its digest
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public StoredManifest cache(RepositoryName repository, Reference reference, byte[] bytes, String contentType) {
        ManifestDocument document = ManifestDocument.parse(bytes, contentType);
        return record(repository, reference, bytes, document, digestOf(reference, bytes), false);
    }

    private static Digest digestOf(Reference reference, byte[] bytes) {
        DigestAlgorithm algorithm = reference instanceof Reference.ByDigest d ? d.digest().algorithm() : DigestAlgorithm.SHA256;
        Digest digest = Digest.of(algorithm, bytes);
        if (reference instanceof Reference.ByDigest d && !d.digest().equals(digest)) {
            throw new RegistryException.DigestInvalid("manifest digest did not match the digest in the URL",
                    Map.of("expected", d.digest().toString(), "actual", digest.toString()));
        }
        return digest;
    }

    private StoredManifest record(RepositoryName repository, Reference reference, byte[] bytes, ManifestDocument document,
                                  Digest digest, boolean pushed) {
        List<ManifestReference> references = referencesOf(document);
        // The manifest's own bytes count against the project's quota, like its blobs.
        return UniqueViolations.retryOnce(() -> quotas.admit(repository, digest, bytes.length, () -> {
            if (pushed && reference instanceof Reference.ByTag t) {
                immutableTags.checkTagging(repository, t.tag(), digest);
            }
            if (pushed) {
                holdReferences(repository, document);
            }
            // Bytes first (atomic, content-addressed), then metadata: a crash between the two leaves
            // only an unreferenced file. The blob's row is held meanwhile, so the garbage collector
            // cannot take the file away between the check that it is there and the commit.
            blobRecords.hold(digest, bytes.length);
            blobs.putSmall(digest, bytes);
            StoredManifest stored = new StoredManifest(repository, digest, document.mediaType(), bytes.length,
                    document.effectiveArtifactType(), document.subject() == null ? null : document.subject().digest(),
                    Instant.now());
            manifests.save(stored, references);
            if (reference instanceof Reference.ByTag t) {
                manifests.tag(repository, t.tag(), digest);
            }
            if (pushed) {
                // in this transaction: a push that rolls back raises no event (issue 21)
                events.pushed(stored, tagOf(reference));
                replication.pushed(repository, tagOf(reference), digest, Optional.ofNullable(stored.subject()));
            }
            return stored;
        }));
    }

    /** The edges from a manifest to what it references: an index's children, or an image's config and layers. */
    private static List<ManifestReference> referencesOf(ManifestDocument document) {
        List<ManifestReference> references = new ArrayList<>();
        if (document.isIndex()) {
            for (Descriptor child : document.manifests()) {
                references.add(new ManifestReference(child.digest(), ManifestReference.Kind.MANIFEST, child.size()));
            }
            return references;
        }
        references.add(new ManifestReference(document.config().digest(), ManifestReference.Kind.CONFIG,
                document.config().size()));
        for (Descriptor layer : document.layers()) {
            references.add(new ManifestReference(layer.digest(), ManifestReference.Kind.LAYER, layer.size()));
        }
        return references;
    }

    /** Every blob and child manifest must already be in the repository (OCI dist-spec "Pushing Manifests"). */
    private void checkReferences(RepositoryName repository, ManifestDocument document) {
        if (document.isIndex()) {
            for (Descriptor child : document.manifests()) {
                if (manifests.find(repository, child.digest()).isEmpty()) {
                    throw new RegistryException.ManifestUnknown(
                            "index references a manifest unknown to this repository", child.digest().toString());
                }
            }
            return;
        }
        requireBlob(repository, document.config());
        for (Descriptor layer : document.layers()) {
            if (!MediaTypes.isForeignLayer(layer.mediaType())) {
                requireBlob(repository, layer);
            }
        }
    }

    /**
     * Locks what the manifest references for the transaction that stores it (the blob links, or an
     * index's child manifests), checking again that each is there: the garbage collector, which
     * takes the same rows to delete them, then either finds the manifest's references or has
     * deleted the rows first, and the push is refused as if they had never been pushed.
     */
    private void holdReferences(RepositoryName repository, ManifestDocument document) {
        if (document.isIndex()) {
            List<Digest> children = document.manifests().stream().map(Descriptor::digest).toList();
            Set<Digest> held = manifests.hold(repository, children);
            for (Digest child : children) {
                if (!held.contains(child)) {
                    throw new RegistryException.ManifestUnknown(
                            "index references a manifest unknown to this repository", child.toString());
                }
            }
            return;
        }
        List<Digest> blobDigests = new ArrayList<>();
        blobDigests.add(document.config().digest());
        document.layers().stream().filter(l -> !MediaTypes.isForeignLayer(l.mediaType())).forEach(l -> blobDigests.add(l.digest()));
        Set<Digest> held = links.hold(repository, blobDigests);
        for (Digest blob : blobDigests) {
            if (!held.contains(blob)) {
                throw new RegistryException.ManifestBlobUnknown(blob);
            }
        }
    }

    private void requireBlob(RepositoryName repository, Descriptor descriptor) {
        if (!links.isLinked(repository, descriptor.digest())) {
            throw new RegistryException.ManifestBlobUnknown(descriptor.digest());
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public StoredManifest head(RepositoryName repository, Reference reference) {
        return resolve(repository, reference);
    }

    /** A pull: the manifest and its bytes; counted for the repository's and manifest's statistics. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Content get(RepositoryName repository, Reference reference) {
        StoredManifest manifest = resolve(repository, reference);
        // gone only when garbage collection deleted the manifest (delete_untagged) since it was resolved
        byte[] bytes = blobs.readSmall(manifest.digest())
                .orElseThrow(() -> new RegistryException.ManifestUnknown(reference.toString()));
        pulls.record(repository, manifest.digest());
        events.pulled(manifest, tagOf(reference));
        return new Content(manifest, bytes);
    }

    private StoredManifest resolve(RepositoryName repository, Reference reference) {
        Optional<ProxyProject> proxy = proxies.of(repository);
        if (proxy.isPresent()) {
            return cache.manifest(proxy.get(), repository, reference);
        }
        var found = reference instanceof Reference.ByTag t
                ? manifests.findByTag(repository, t.tag())
                : manifests.find(repository, ((Reference.ByDigest) reference).digest());
        return found.orElseThrow(() -> new RegistryException.ManifestUnknown(reference.toString()));
    }

    /**
     * Deletes a manifest by digest (with every tag pointing at it) or, by tag, just the tag
     * (OCI dist-spec "Deleting tags", "Deleting Manifests").
     */
    @Transactional
    public void delete(RepositoryName repository, Reference reference) {
        if (reference instanceof Reference.ByTag t) {
            immutableTags.checkUntagging(repository, t.tag());
        } else {
            immutableTags.checkArtifactDeletion(repository, ((Reference.ByDigest) reference).digest());
        }
        if (reference instanceof Reference.ByTag t) {
            Optional<Digest> tagged = manifests.findByTag(repository, t.tag()).map(StoredManifest::digest);
            if (!manifests.untag(repository, t.tag())) {
                throw new RegistryException.ManifestUnknown(reference.toString());
            }
            events.tagDeleted(repository, t.tag().value(), tagged);
            replication.tagDeleted(repository, t.tag().value(), tagged);
        } else {
            Digest digest = ((Reference.ByDigest) reference).digest();
            List<String> tags = manifests.tagsOf(repository, digest).stream().map(Tag::value).toList();
            if (!manifests.delete(repository, digest)) {
                throw new RegistryException.ManifestUnknown(reference.toString());
            }
            events.artifactDeleted(repository, digest, tags);
            replication.artifactDeleted(repository, digest, tags);
        }
    }

    private static Optional<String> tagOf(Reference reference) {
        return reference instanceof Reference.ByTag t ? Optional.of(t.tag().value()) : Optional.empty();
    }

    /** Manifests in the repository whose subject is {@code subject} (OCI dist-spec "Listing Referrers"). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Referrer> referrers(RepositoryName repository, Digest subject, String artifactType) {
        List<Referrer> result = new ArrayList<>();
        for (StoredManifest m : manifests.referrers(repository, subject, artifactType)) {
            Map<String, String> annotations = blobs.readSmall(m.digest())
                    .map(bytes -> ManifestDocument.parse(bytes, m.mediaType()).annotations())
                    .orElse(Map.of());
            result.add(new Referrer(new Descriptor(m.mediaType(), m.digest(), m.size(), m.artifactType()), annotations));
        }
        return result;
    }
}
