package org.berth.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.BlobLinks;
import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.storage.BlobContent;
import org.berth.storage.BlobStore;

/** Reading and unlinking blobs of a repository. */
@ApplicationScoped
public class BlobService {

    @Inject
    BlobLinks links;

    @Inject
    BlobStore store;

    /** The blob, when the repository links it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public BlobContent open(RepositoryName repository, Digest digest) {
        if (!links.isLinked(repository, digest)) {
            throw new RegistryException.BlobUnknown(digest);
        }
        return store.open(digest).orElseThrow(() -> new RegistryException.BlobUnknown(digest));
    }

    /** Removes the repository's link; the bytes stay until garbage collection finds them unused. */
    @Transactional
    public void delete(RepositoryName repository, Digest digest) {
        if (!links.unlink(repository, digest)) {
            throw new RegistryException.BlobUnknown(digest);
        }
    }
}
