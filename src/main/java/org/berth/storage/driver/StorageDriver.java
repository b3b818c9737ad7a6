package org.berth.storage.driver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A handful of byte operations on named files, in the spirit of CNCF Distribution's
 * {@code driver/storagedriver.go}: the blob store and the upload sessions above it are written
 * once against this interface and never learn whether the bytes lie on a filesystem or in an S3
 * bucket. See {@code package-info.java} for the guarantees every driver gives.
 *
 * <p>A path is relative, '/'-separated, without "." or ".." segments (e.g.
 * {@code blobs/sha256/ab/ab12...}); the callers build them from validated digests and upload ids
 * ({@link org.berth.storage.StoragePaths}). A missing file is reported as {@link java.nio.file.NoSuchFileException}.
 */
public interface StorageDriver {

    /** The file's size and time, if it exists: a committed file, or one a {@link #writer} is filling. */
    Optional<FileInfo> stat(String path) throws IOException;

    /**
     * Streams {@code length} bytes of a committed file from {@code offset} (fewer when the file is
     * shorter). The caller closes the stream.
     *
     * @throws java.nio.file.NoSuchFileException when there is no committed file at {@code path}
     */
    InputStream read(String path, long offset, long length) throws IOException;

    /** Reads a small committed file whole. */
    default byte[] getContent(String path) throws IOException {
        try (InputStream in = read(path, 0, Long.MAX_VALUE)) {
            return in.readAllBytes();
        }
    }

    /**
     * Stores small content at {@code path}, replacing what was there, atomically: a reader sees the
     * old content or the new, whole, and after a crash one of the two is there.
     */
    void putContent(String path, byte[] content) throws IOException;

    /**
     * A writer that appends to the file at {@code path}, resumable: with {@code append} it continues
     * where the last writer that {@linkplain FileWriter#close closed} left off, on this instance or
     * another (another node), else it starts an empty file.
     */
    FileWriter writer(String path, boolean append) throws IOException;

    /**
     * The entries directly under {@code dir}, read lazily (the caller closes the stream): files,
     * and sub-directories as paths ending in '/'. Empty when {@code dir} does not exist.
     */
    Stream<String> list(String dir) throws IOException;

    /** Every committed file under {@code dir}, at any depth, read lazily (the caller closes the stream). */
    Stream<FileInfo> walk(String dir) throws IOException;

    /**
     * Moves a committed file to {@code to}, which then appears whole at once (a reader never sees
     * part of it), replacing what was there.
     */
    void move(String from, String to) throws IOException;

    /**
     * Removes the file, or everything under the path when it names a directory (a trailing '/' is
     * not needed), including files a writer is filling.
     *
     * @return whether anything was there
     */
    boolean delete(String path) throws IOException;

    /**
     * Removes the file only while it is still the one that {@code seen} describes (the same
     * modification time): the garbage collector's sweep must not remove a file written again since
     * it listed it.
     *
     * @return the bytes freed, 0 when the file was gone or had changed
     */
    long deleteIfUnchanged(FileInfo seen) throws IOException;

    /**
     * A URL a client may fetch the committed file from directly for a while (a presigned URL), when
     * the driver offers one and is configured to (Distribution's {@code redirect}).
     */
    default Optional<URI> redirectUrl(String path) {
        return Optional.empty();
    }

    /**
     * Checks that the storage answers now (a cheap request with a short timeout), for the readiness
     * check: a node that cannot reach its storage must leave the load balancer.
     *
     * @throws IOException when it does not
     */
    void probe() throws IOException;
}
