package org.berth.application.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.application.ManifestService;
import org.berth.application.UploadService;
import org.berth.application.proxy.ProxyProjects;
import org.berth.domain.BlobLinks;
import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.ManifestStore;
import org.berth.domain.Page;
import org.berth.domain.Project;
import org.berth.domain.ProjectStore;
import org.berth.domain.Reference;
import org.berth.domain.RepositoryCatalog;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;
import org.berth.domain.Tag;
import org.berth.domain.replication.Glob;
import org.berth.remote.BlobSource;
import org.berth.remote.RemoteManifest;
import org.berth.storage.BlobContent;
import org.berth.storage.BlobStore;

/**
 * Berth's own storage as one end of a replication. Reads go to the stores directly (a replication
 * is no pull: it counts no pulls and raises no pull events); writes go through the services a
 * client's push goes through ({@link UploadService#uploadWhole}, which verifies the digest, and
 * {@link ManifestService#put}), so quotas, immutable tags and push events apply. Proxy-cache
 * projects are neither read nor written: their content is another registry's.
 */
@ApplicationScoped
class LocalEnd implements ReplicationEnd {

    /** Who holds the upload sessions replication opens (their owner, as an account would). */
    static final String OWNER = "replication";
    private static final int PAGE = 1000;
    /** How much of a stored blob one read of a push takes. */
    private static final int WINDOW = 1024 * 1024;

    @Inject
    RepositoryCatalog catalog;

    @Inject
    ManifestStore manifests;

    @Inject
    BlobStore blobs;

    @Inject
    BlobLinks links;

    @Inject
    UploadService uploads;

    @Inject
    ManifestService manifestService;

    @Inject
    ProjectStore projects;

    @Inject
    ProxyProjects proxies;

    @Override
    public void repositories(Glob filter, Consumer<String> each) {
        String last = null;
        while (true) {
            List<RepositoryName> page = catalog.list(new Page(last, PAGE), null);
            for (RepositoryName name : page) {
                if (filter.matches(name.value()) && proxies.of(name).isEmpty()) {
                    each.accept(name.value());
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            last = page.get(page.size() - 1).value();
        }
    }

    @Override
    public void tags(String repository, Consumer<List<String>> each) {
        RepositoryName name = RepositoryName.parse(repository);
        String last = null;
        while (true) {
            List<Tag> page = manifests.tags(name, new Page(last, PAGE));
            each.accept(page.stream().map(Tag::value).toList());
            if (page.size() < PAGE) {
                return;
            }
            last = page.get(page.size() - 1).value();
        }
    }

    @Override
    public Optional<RemoteManifest> manifest(String repository, String reference) {
        return find(repository, reference).flatMap(m -> blobs.readSmall(m.digest())
                .map(bytes -> new RemoteManifest(m.digest().toString(), m.mediaType(), bytes)));
    }

    @Override
    public Optional<String> resolve(String repository, String reference) {
        return find(repository, reference).map(m -> m.digest().toString());
    }

    private Optional<StoredManifest> find(String repository, String reference) {
        RepositoryName name = RepositoryName.parse(repository);
        return Digest.looksLikeDigest(reference) ? manifests.find(name, Digest.parse(reference))
                : manifests.findByTag(name, new Tag(reference));
    }

    @Override
    public List<Descriptor> referrers(String repository, String digest) {
        return manifests.referrers(RepositoryName.parse(repository), Digest.parse(digest), null).stream()
                .map(m -> new Descriptor(m.mediaType(), m.digest(), m.size(), m.artifactType())).toList();
    }

    @Override
    public boolean hasBlob(String repository, String digest) {
        Digest d = Digest.parse(digest);
        return links.isLinked(RepositoryName.parse(repository), d) && blobs.size(d).isPresent();
    }

    @Override
    public BlobSource blob(String repository, String digest, long size) {
        Digest d = Digest.parse(digest);
        if (!links.isLinked(RepositoryName.parse(repository), d)) {
            throw new IllegalStateException("blob " + digest + " is not in " + repository);
        }
        BlobContent content = blobs.open(d).orElseThrow(() -> new IllegalStateException("blob " + digest + " is gone from storage"));
        return new BlobSource() {
            @Override
            public long size() {
                return content.size();
            }

            @Override
            public InputStream open(long offset) {
                return new WindowStream(content, offset);
            }
        };
    }

    @Override
    public long putBlob(String repository, String digest, BlobSource source, LongConsumer progress) {
        try (InputStream in = new MeteredStream(source.open(0), 0, progress)) {
            uploads.uploadWhole(RepositoryName.parse(repository), Digest.parse(digest), in, OptionalLong.of(source.size()), OWNER);
        } catch (IOException e) {
            throw new UncheckedIOException("blob " + digest + ": " + e.getMessage(), e);
        }
        return source.size();
    }

    @Override
    public boolean mount(String repository, String digest, String from) {
        // any repository of Berth's that links the blob will do: replication reads everything
        return uploads.mount(RepositoryName.parse(repository), Digest.parse(digest), Optional.empty(), r -> true);
    }

    @Override
    public void putManifest(String repository, String reference, RemoteManifest manifest) {
        Reference ref = Digest.looksLikeDigest(reference) ? new Reference.ByDigest(Digest.parse(reference))
                : new Reference.ByTag(new Tag(reference));
        manifestService.put(RepositoryName.parse(repository), ref, manifest.bytes(), manifest.mediaType());
    }

    @Override
    public boolean deleteManifest(String repository, String digest) {
        RepositoryName name = RepositoryName.parse(repository);
        if (manifests.find(name, Digest.parse(digest)).isEmpty()) {
            return false;
        }
        manifestService.delete(name, new Reference.ByDigest(Digest.parse(digest)));
        return true;
    }

    @Override
    public Optional<String> refusesWrites(String repository) {
        RepositoryName name = RepositoryName.parse(repository);
        String project = Project.of(name);
        if (!projects.exists(project)) {
            return Optional.of("project '" + project + "' does not exist here: create it, or map the destination into one");
        }
        if (proxies.of(name).isPresent()) {
            return Optional.of("project '" + project + "' is a proxy cache: replication does not write into it");
        }
        return Optional.empty();
    }

    /** A stored blob read from an offset a window at a time (the blob store copies ranges). */
    private static final class WindowStream extends InputStream {
        private final BlobContent content;
        private long position;
        private byte[] window = new byte[0];
        private int index;

        WindowStream(BlobContent content, long offset) {
            this.content = content;
            this.position = offset;
        }

        private boolean fill() throws IOException {
            if (index < window.length) {
                return true;
            }
            long left = content.size() - position;
            if (left <= 0) {
                return false;
            }
            int length = (int) Math.min(WINDOW, left);
            ByteArrayOutputStream out = new ByteArrayOutputStream(length);
            content.writeTo(out, position, length);
            window = out.toByteArray();
            if (window.length == 0) {
                throw new IOException("the stored blob " + content.digest() + " ended early");
            }
            index = 0;
            position += window.length;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? window[index++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, window.length - index);
            System.arraycopy(window, index, b, off, n);
            index += n;
            return n;
        }
    }
}
