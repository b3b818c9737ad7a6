package org.berth.application;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.policy.ImmutableTagGuard;
import org.berth.application.replication.ReplicationTriggers;
import org.berth.application.webhook.WebhookEvents;
import org.berth.domain.ArtifactInfo;
import org.berth.domain.ContentCatalog;
import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.ImageConfig;
import org.berth.domain.ManifestDocument;
import org.berth.domain.ManifestStore;
import org.berth.domain.Platform;
import org.berth.domain.Reference;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;
import org.berth.domain.Tag;
import org.berth.domain.policy.ImmutableRule;
import org.berth.storage.BlobStore;

/**
 * Artifacts (manifests) of a repository as the administration API shows them, and their tags.
 * What is not in the metadata store (an index's platforms, an image's layers and config) is read
 * from the stored manifest and config blob, which stay the authority. A listing does that for
 * every row, so each read is bounded: a manifest above {@link #MAX_MANIFEST_READ} or a config
 * above {@link ImageConfig#MAX_BYTES} is not read, and the artifact says it is {@code truncated}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ArtifactService {

    /** Manifests larger than this are not read for their platforms or layers (real ones are a few KiB). */
    static final int MAX_MANIFEST_READ = 256 * 1024;

    @Inject
    ContentCatalog content;

    @Inject
    ManifestStore manifests;

    @Inject
    BlobStore blobs;

    @Inject
    ImmutableTagGuard immutableTags;

    @Inject
    WebhookEvents events;

    @Inject
    ReplicationTriggers replication;

    /**
     * An artifact with what its bytes tell.
     *
     * @param platforms an index's entries; empty for an image
     * @param config    an image's config; null for an index
     * @param layers    an image's layers; empty for an index
     * @param referrers manifests of the repository whose subject is this artifact (signatures, SBOMs)
     * @param truncated whether something was left out to bound what is read: the manifest or the
     *                  config was too large to read, or labels were cut
     * @param immutable its tags that an immutable-tag rule protects, with the first such rule
     */
    public record Artifact(ArtifactInfo info, List<Platform> platforms, Config config, List<Descriptor> layers,
                           List<StoredManifest> referrers, boolean truncated, Map<Tag, ImmutableRule> immutable) {
    }

    /** An image's config descriptor and what its blob says; {@code image} is null for a config that is not an image's. */
    public record Config(Digest digest, long size, ImageConfig image) {
    }

    public Listing<Artifact> list(RepositoryName repository, int offset, int limit) {
        existingRepository(repository);
        List<ArtifactInfo> infos = content.artifacts(repository, offset, limit);
        // one read of the project's rules for the whole page
        Map<Tag, ImmutableRule> immutable = immutableTags.protectedTags(repository,
                infos.stream().flatMap(i -> i.tags().stream().map(ArtifactInfo.TagInfo::name)).toList());
        List<Artifact> page = infos.stream().map(i -> describe(i, immutable)).toList();
        return new Listing<>(page, content.countArtifacts(repository));
    }

    /** One artifact by digest or tag. */
    public Artifact get(RepositoryName repository, Reference reference) {
        existingRepository(repository);
        Digest digest = reference instanceof Reference.ByTag t
                ? manifests.findByTag(repository, t.tag())
                        .orElseThrow(() -> new RegistryException.ManifestUnknown("tag '" + t.tag() + "' not found", t.tag().value()))
                        .digest()
                : ((Reference.ByDigest) reference).digest();
        return content.artifact(repository, digest)
                .map(i -> describe(i, immutableTags.protectedTags(repository,
                        i.tags().stream().map(ArtifactInfo.TagInfo::name).toList())))
                .orElseThrow(() -> new RegistryException.ManifestUnknown(digest.toString()));
    }

    /** Points the tag at the artifact, moving it from another artifact as a push would. */
    @Transactional
    public Artifact addTag(RepositoryName repository, Digest digest, Tag tag) {
        existingRepository(repository);
        if (manifests.find(repository, digest).isEmpty()) {
            throw new RegistryException.ManifestUnknown(digest.toString());
        }
        immutableTags.checkTagging(repository, tag, digest);
        manifests.tag(repository, tag, digest);
        return get(repository, new Reference.ByDigest(digest));
    }

    /** Removes the tag; the artifact stays. */
    @Transactional
    public void deleteTag(RepositoryName repository, Tag tag) {
        existingRepository(repository);
        immutableTags.checkUntagging(repository, tag);
        Optional<Digest> tagged = manifests.findByTag(repository, tag).map(StoredManifest::digest);
        if (!manifests.untag(repository, tag)) {
            throw new RegistryException.ManifestUnknown("tag '" + tag + "' not found", tag.value());
        }
        events.tagDeleted(repository, tag.value(), tagged);
        replication.tagDeleted(repository, tag.value(), tagged);
    }

    /** Deletes the artifact and its tags (its blobs stay linked, as after a /v2 manifest DELETE). */
    @Transactional
    public void delete(RepositoryName repository, Digest digest) {
        existingRepository(repository);
        immutableTags.checkArtifactDeletion(repository, digest);
        List<String> tags = manifests.tagsOf(repository, digest).stream().map(Tag::value).toList();
        if (!manifests.delete(repository, digest)) {
            throw new RegistryException.ManifestUnknown(digest.toString());
        }
        events.artifactDeleted(repository, digest, tags);
        replication.artifactDeleted(repository, digest, tags);
    }

    private void existingRepository(RepositoryName repository) {
        if (content.repository(repository).isEmpty()) {
            throw new RegistryException.NameUnknown(repository.value());
        }
    }

    private Artifact describe(ArtifactInfo info, Map<Tag, ImmutableRule> immutableInRepository) {
        Map<Tag, ImmutableRule> immutable = new LinkedHashMap<>();
        info.tags().forEach(t -> {
            ImmutableRule rule = immutableInRepository.get(t.name());
            if (rule != null) {
                immutable.put(t.name(), rule);
            }
        });
        StoredManifest manifest = info.manifest();
        List<StoredManifest> referrers = manifests.referrers(manifest.repository(), manifest.digest(), null);
        if (manifest.size() > MAX_MANIFEST_READ) {
            return new Artifact(info, List.of(), null, List.of(), referrers, true, immutable);
        }
        Optional<byte[]> bytes = blobs.readSmall(manifest.digest());
        if (bytes.isEmpty()) {
            return new Artifact(info, List.of(), null, List.of(), referrers, false, immutable);
        }
        ManifestDocument document = ManifestDocument.parse(bytes.get(), manifest.mediaType());
        if (document.isIndex()) {
            return new Artifact(info, Platform.ofIndex(bytes.get()), null, List.of(), referrers, false, immutable);
        }
        Descriptor config = document.config();
        Optional<Long> configSize = blobs.size(config.digest());
        boolean tooLarge = configSize.filter(size -> size > ImageConfig.MAX_BYTES).isPresent();
        ImageConfig image = configSize
                .filter(size -> size <= ImageConfig.MAX_BYTES)
                .flatMap(size -> blobs.readSmall(config.digest()))
                .flatMap(ImageConfig::parse)
                .orElse(null);
        return new Artifact(info, List.of(), new Config(config.digest(), config.size(), image),
                new ArrayList<>(document.layers()), referrers, tooLarge || image != null && image.labelsTruncated(),
                immutable);
    }
}
