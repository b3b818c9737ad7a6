package org.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * {@link UploadStore} on the filesystem. Each session is a folder under {@code uploads/}; bytes
 * are hashed (SHA-256) in the same pass that writes them (each buffer on an {@link UploadPipeline}
 * thread while the next is written, and the file written out to disk behind them), and the running
 * hash is kept in memory.
 * After a restart the hash is rebuilt once from the bytes on disk, so a client can resume.
 */
@ApplicationScoped
@Typed(FilesystemUploadStore.class)
public class FilesystemUploadStore extends FolderUploadStore<UploadSessionState> {

    @Inject
    FilesystemBlobStore blobs;

    @Inject
    StorageSettings settings;

    private int maxSessionsPerOwner;

    /** Hashes and writes out behind the request thread of an upload. */
    private final UploadPipeline pipeline;

    public FilesystemUploadStore() {
        pipeline = new UploadPipeline();
    }

    /** For tests and tools outside CDI: no limit of sessions per owner. */
    public FilesystemUploadStore(FilesystemBlobStore blobs) {
        this(blobs, 0);
    }

    /** For tests outside CDI, with at most {@code maxSessionsPerOwner} open sessions per owner (below 1: no limit). */
    FilesystemUploadStore(FilesystemBlobStore blobs, int maxSessionsPerOwner) {
        this(blobs, new UploadPipeline());
        this.maxSessionsPerOwner = maxSessionsPerOwner;
    }

    FilesystemUploadStore(FilesystemBlobStore blobs, UploadPipeline pipeline) {
        this.blobs = blobs;
        this.pipeline = pipeline;
    }

    @PostConstruct
    void init() {
        maxSessionsPerOwner = settings.maxUploadSessionsPerOwner();
    }

    @PreDestroy
    void stop() {
        pipeline.close();
    }

    private StoragePaths paths() {
        return blobs.paths();
    }

    @Override
    UploadFolders folders() {
        return new UploadFolders(blobs.driver());
    }

    @Override
    int maxSessionsPerOwner() {
        return maxSessionsPerOwner;
    }

    @Override
    UploadSessionState newServed() {
        return new UploadSessionState();
    }

    /** The session's data file, empty until its first chunk. */
    @Override
    void prepare(String uploadId) throws IOException {
        Files.createFile(paths().uploadData(uploadId));
    }

    @Override
    Path failureLocation() {
        return paths().uploads();
    }

    @Override
    public UploadSession status(RepositoryName repository, String uploadId) {
        Path data = existing(repository, uploadId);
        return new UploadSession(uploadId, repository, sizeOf(data, uploadId));
    }

    @Override
    public UploadSession append(RepositoryName repository, String uploadId, InputStream in,
                                OptionalLong start, OptionalLong length, long maxSize) {
        Path data = existing(repository, uploadId);
        UploadSessionState state = served(uploadId);
        state.lock.lock();
        try {
            long size = sizeOf(data, uploadId);
            if (start.isPresent() && start.getAsLong() != size) {
                throw new RegistryException.RangeInvalid(
                        "chunk starts at " + start.getAsLong() + " but the upload holds " + size + " bytes", size);
            }
            if (length.isPresent() && size + length.getAsLong() > maxSize) {
                discard(uploadId);
                throw new UploadTooLarge(maxSize, size + length.getAsLong());
            }
            state.catchUp(data, size);
            long written;
            try (FileChannel ch = openForAppend(data)) {
                written = state.writeAndHash(maxSize == NO_LIMIT ? in : new BoundedBody(in, size, maxSize), ch, pipeline);
                if (length.isPresent() && written != length.getAsLong()) {
                    ch.truncate(size);
                    state.reset();
                    throw new RegistryException.RangeInvalid("chunk declared " + length.getAsLong()
                            + " bytes but " + written + " arrived", size);
                }
            } catch (UploadTooLarge e) {
                discard(uploadId);
                throw e;
            } catch (UploadSessionState.ClientStreamFailed e) {
                // The client went away mid-chunk: keep what reached the disk, the client can resume.
                throw new UncheckedIOException((IOException) e.getCause());
            } catch (IOException e) {
                // The server's disk failed (ENOSPC, EIO, a failed write-out): the bytes are in doubt
                // and hold space, so the session goes, and the client hears it was the server.
                discardAfterFailure(uploadId);
                IOException cause = e instanceof UploadPipeline.WriteOutFailed && e.getCause() instanceof IOException io ? io : e;
                throw WriteFailure.report("upload " + uploadId + " discarded", cause, data);
            }
            return new UploadSession(uploadId, repository, size + written);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public <T> T commit(RepositoryName repository, String uploadId, Digest expected, Committer<T> committer) {
        Path data = existing(repository, uploadId);
        UploadSessionState state = served(uploadId);
        state.lock.lock();
        try {
            long size = sizeOf(data, uploadId);
            Digest actual;
            if (expected.algorithm() == DigestAlgorithm.SHA256) {
                state.catchUp(data, size);
                // finish a copy: a commit that fails below must leave the running hash usable
                actual = Digest.from(DigestAlgorithm.SHA256, state.copyOfDigest());
            } else {
                actual = hashFile(data, expected.algorithm());
            }
            if (!actual.equals(expected)) {
                discard(uploadId);
                throw new RegistryException.DigestInvalid("provided digest did not match uploaded content",
                        Map.of("expected", expected.toString(), "actual", actual.toString()));
            }
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            T result;
            try {
                result = committer.commit(size, () -> install(data, expected, uploadId));
            } catch (RegistryException.Denied e) {
                discard(uploadId);
                throw e;
            } catch (RuntimeException e) {
                if (!Files.exists(data)) {
                    discardAfterFailure(uploadId); // installed: nothing left to commit again
                }
                throw e;
            }
            discard(uploadId);
            return result;
        } catch (IOException e) {
            // kept: a verified session the client may commit again once storage recovers
            throw WriteFailure.report("upload " + uploadId + " not committed", e, data);
        } finally {
            state.lock.unlock();
        }
    }

    /**
     * Takes the verified file as it is: synced, then linked under the blob's name (a hard link, so
     * readers of the spool go on reading the same bytes, and no byte is copied).
     */
    @Override
    public <T> T adopt(RepositoryName repository, Path verified, Digest digest, long size, String owner,
                       Committer<T> committer) {
        try (FileChannel ch = FileChannel.open(verified, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw WriteFailure.report(digest + " not stored", e, verified);
        }
        return committer.commit(size, () -> {
            try {
                blobs.installLink(verified, digest);
            } catch (IOException e) {
                throw WriteFailure.report(digest + " not stored", e, verified);
            }
        });
    }

    private void install(Path data, Digest digest, String uploadId) {
        try {
            blobs.install(data, digest);
        } catch (IOException e) {
            // kept: a verified session the client may commit again once storage recovers
            throw WriteFailure.report("upload " + uploadId + " not committed", e, data);
        }
    }

    /** The session's data file, after checking that the session exists and belongs to the repository. */
    private Path existing(RepositoryName repository, String uploadId) {
        checkBelongs(repository, uploadId);
        return paths().uploadData(uploadId);
    }

    private static long sizeOf(Path data, String uploadId) {
        try {
            return Files.size(data);
        } catch (NoSuchFileException e) {
            throw new RegistryException.BlobUploadUnknown(uploadId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The session's data file, opened to append. A seam for tests of a failing disk. */
    FileChannel openForAppend(Path data) throws IOException {
        return FileChannel.open(data, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    static Digest hashFile(Path file, DigestAlgorithm algorithm) throws IOException {
        MessageDigest md = Digest.newMessageDigest(algorithm);
        feed(md, file, 0, Long.MAX_VALUE);
        return Digest.from(algorithm, md);
    }

    /** Feeds at most {@code limit} bytes of {@code file} from {@code offset} to {@code md}; returns how many. */
    static long feed(MessageDigest md, Path file, long offset, long limit) throws IOException {
        byte[] array = new byte[FilesystemBlobStore.BUFFER_SIZE];
        long total = 0;
        try (InputStream in = Channels.newInputStream(FileChannel.open(file).position(offset))) {
            int n;
            while (total < limit && (n = in.read(array, 0, (int) Math.min(array.length, limit - total))) > 0) {
                md.update(array, 0, n);
                total += n;
            }
        }
        return total;
    }
}
