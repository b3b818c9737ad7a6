package org.berth.storage;

import java.util.Optional;

import org.berth.domain.Digest;

/**
 * Content-addressed bytes: one copy per digest, whichever repositories link it. Writes are
 * verified against their digest and atomic; reads never see a partial blob.
 */
public interface BlobStore {

    /** The committed blob, if present. */
    Optional<BlobContent> open(Digest digest);

    /** The size of the committed blob, if present. */
    Optional<Long> size(Digest digest);

    /** Reads a small committed blob (a manifest) whole. */
    Optional<byte[]> readSmall(Digest digest);

    /** Stores small content (a manifest) under its digest; the caller has computed the digest. */
    void putSmall(Digest digest, byte[] content);
}
