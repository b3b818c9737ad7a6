package org.berth.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Optional;

import org.berth.domain.Digest;

/** A committed blob ready to be sent: its size and a way to copy (part of) its bytes. */
public interface BlobContent {

    Digest digest();

    long size();

    /** Copies {@code length} bytes starting at {@code offset} to {@code out}. */
    void writeTo(OutputStream out, long offset, long length) throws IOException;

    /**
     * Sends {@code length} bytes starting at {@code offset}: the head {@code sink} asks for copied to
     * {@code out} and flushed, the rest through {@code sink} when it takes it (zero-copy), otherwise
     * copied to {@code out} as well.
     */
    default void writeTo(OutputStream out, long offset, long length, ZeroCopySink sink) throws IOException {
        writeTo(out, offset, length);
    }

    /**
     * Where a client may fetch the whole blob itself instead (a presigned URL of an object store,
     * as Distribution's {@code redirect}), when the storage offers one and is configured to.
     */
    default Optional<URI> redirect() {
        return Optional.empty();
    }
}
