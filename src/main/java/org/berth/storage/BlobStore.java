package org.berth.storage;

import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * Removes the blob's bytes (the garbage collector does, holding the blob's row). A reader that
     * opened the blob before keeps reading it to the end.
     *
     * @return the bytes freed; 0 when there was no such blob
     * @throws java.io.UncheckedIOException when the file is there and could not be removed
     */
    long delete(Digest digest);

    /** Every file under {@code blobs/}, read lazily (the caller closes the stream): for the orphan sweep. */
    Stream<StoredFile> blobFiles();

    /** Every scratch file under {@code tmp/}, read lazily (the caller closes the stream). */
    Stream<StoredFile> scratchFiles();

    /**
     * Removes a file that {@link #blobFiles} or {@link #scratchFiles} listed, if it is still unchanged
     * since (the same modification time).
     *
     * @return the bytes freed; 0 when it was gone or had changed
     */
    long deleteFile(StoredFile file);
}
