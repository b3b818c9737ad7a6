package org.berth.application;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.application.gc.GcSettings;
import org.berth.application.proxy.ProxyCache;
import org.berth.application.proxy.ProxyProjects;
import org.berth.domain.BlobLinks;
import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.proxy.ProxyProject;
import org.berth.storage.BlobContent;
import org.berth.storage.BlobStore;

/** Reading and unlinking blobs of a repository. */
@ApplicationScoped
public class BlobService {

    @Inject
    BlobLinks links;

    @Inject
    BlobStore store;

    @Inject
    GcSettings gc;

    @Inject
    ProxyProjects proxies;

    @Inject
    ProxyCache cache;

    /** The blob, when the repository links it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public BlobContent open(RepositoryName repository, Digest digest) {
        Optional<ProxyProject> proxy = proxies.of(repository);
        if (proxy.isPresent()) {
            return cache.blob(proxy.get(), repository, digest);
        }
        if (!links.isLinked(repository, digest)) {
            throw new RegistryException.BlobUnknown(digest);
        }
        return store.open(digest).orElseThrow(() -> new RegistryException.BlobUnknown(digest));
    }

    /**
     * The blob, for a HEAD: the repository links it and its bytes are there. A 200 promises the
     * client that it may reference the blob for the garbage collector's grace period (docker then
     * skips the upload), so the link's time is refreshed when it is getting old; when the collector
     * removed the link meanwhile, the refresh finds no row and the answer is 404: the client
     * uploads the blob again.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public BlobContent head(RepositoryName repository, Digest digest) {
        Optional<ProxyProject> proxy = proxies.of(repository);
        if (proxy.isPresent()) {
            return cache.blobHead(proxy.get(), repository, digest);
        }
        Instant touched = links.touchedAt(repository, digest).orElseThrow(() -> new RegistryException.BlobUnknown(digest));
        BlobContent blob = store.open(digest).orElseThrow(() -> new RegistryException.BlobUnknown(digest));
        Instant now = Instant.now();
        if (touched.isBefore(now.minus(gc.headRefresh())) && !links.touch(repository, digest, now)) {
            throw new RegistryException.BlobUnknown(digest);
        }
        return blob;
    }

    /** Removes the repository's link; the bytes stay until garbage collection finds them unused. */
    @Transactional
    public void delete(RepositoryName repository, Digest digest) {
        if (!links.unlink(repository, digest)) {
            throw new RegistryException.BlobUnknown(digest);
        }
    }
}
