package org.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.storage.driver.FileInfo;
import org.berth.storage.driver.FileWriter;
import org.berth.storage.driver.StorageDriver;

/**
 * {@link UploadStore} on any {@link StorageDriver}, for several nodes over one storage: every PATCH
 * of a session may land on a different node. A session is its folder {@code uploads/<id>/} (layout
 * in {@link StoragePaths}); its bytes go through the driver's resumable writer, and the running
 * SHA-256 is saved beside them after each chunk ({@link ResumableSha256}), before the chunk is
 * closed, so whichever size the writer reports after a crash, a saved hash for it exists. A node
 * keeps the hash in memory while it serves the session, and reads the saved one when another node
 * took a chunk meanwhile. A session without one (made by {@link FilesystemUploadStore}) is rehashed
 * from its bytes where the driver can read them (a filesystem).
 */
public class DriverUploadStore extends FolderUploadStore<DriverUploadStore.Session> {

    private static final Logger LOG = Logger.getLogger(DriverUploadStore.class.getName());

    static final int BUFFER_SIZE = 256 * 1024;

    private final StorageDriver driver;
    private final UploadFolders folders;
    private final int maxSessionsPerOwner;

    /** What this node keeps of a session it serves: the running hash, and the size it covers. */
    static final class Session extends Served {
        ResumableSha256 hash;
        long hashed = -1;
    }

    /** @param maxSessionsPerOwner the most sessions one owner may hold open; below 1, no limit */
    public DriverUploadStore(StorageDriver driver, int maxSessionsPerOwner) {
        this.driver = driver;
        this.folders = new UploadFolders(driver);
        this.maxSessionsPerOwner = maxSessionsPerOwner;
    }

    @Override
    UploadFolders folders() {
        return folders;
    }

    @Override
    int maxSessionsPerOwner() {
        return maxSessionsPerOwner;
    }

    @Override
    Session newServed() {
        return new Session();
    }

    @Override
    Path failureLocation() {
        return null;
    }

    @Override
    public UploadSession status(RepositoryName repository, String uploadId) {
        checkBelongs(repository, uploadId);
        return new UploadSession(uploadId, repository, sizeOf(uploadId));
    }

    @Override
    public UploadSession append(RepositoryName repository, String uploadId, InputStream in,
                                OptionalLong start, OptionalLong length, long maxSize) {
        checkBelongs(repository, uploadId);
        Session session = served(uploadId);
        session.lock.lock();
        try {
            long size = sizeOf(uploadId);
            if (start.isPresent() && start.getAsLong() != size) {
                throw new RegistryException.RangeInvalid(
                        "chunk starts at " + start.getAsLong() + " but the upload holds " + size + " bytes", size);
            }
            if (length.isPresent() && size + length.getAsLong() > maxSize) {
                discard(uploadId);
                throw new UploadTooLarge(maxSize, size + length.getAsLong());
            }
            catchUp(uploadId, session, size);
            return new UploadSession(uploadId, repository,
                    writeChunk(uploadId, session, size, maxSize == NO_LIMIT ? in : new BoundedBody(in, size, maxSize), length));
        } finally {
            session.lock.unlock();
        }
    }

    /** Appends the body, saves the running hash for the new size, then closes the writer. @return the new size */
    private long writeChunk(String uploadId, Session session, long size, InputStream body, OptionalLong length) {
        ResumableSha256 before = session.hash.copy();
        FileWriter writer = null;
        try {
            writer = driver.writer(StoragePaths.uploadDataPath(uploadId), true);
            byte[] buffer = new byte[BUFFER_SIZE];
            IOException clientFailure = null;
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    clientFailure = e; // the client hung up: keep what arrived, it may resume
                    break;
                }
                if (n < 0) {
                    break;
                }
                writer.write(buffer, 0, n);
                session.hash.update(buffer, 0, n);
            }
            long written = writer.size() - size;
            if (clientFailure == null && length.isPresent() && written != length.getAsLong()) {
                writer.abandon();
                session.hash = before;
                throw new RegistryException.RangeInvalid("chunk declared " + length.getAsLong()
                        + " bytes but " + written + " arrived", size);
            }
            if (written > 0) {
                driver.putContent(StoragePaths.uploadHashStatePath(uploadId, size + written), session.hash.state());
            }
            writer.close();
            session.hashed = size + written;
            if (written > 0) {
                driver.delete(StoragePaths.uploadHashStatePath(uploadId, size));
            }
            if (clientFailure != null) {
                throw new UncheckedIOException(clientFailure);
            }
            return size + written;
        } catch (UploadTooLarge e) {
            abandonQuietly(writer);
            discard(uploadId);
            throw e;
        } catch (IOException e) {
            // the storage failed: the bytes are in doubt, so the session goes
            abandonQuietly(writer);
            discardAfterFailure(uploadId);
            throw WriteFailure.report("upload " + uploadId + " discarded", e, null);
        }
    }

    private static void abandonQuietly(FileWriter writer) {
        if (writer != null) {
            try {
                writer.abandon();
            } catch (IOException | RuntimeException e) {
                LOG.fine("abandoning a writer failed too: " + e);
            }
        }
    }

    /**
     * Brings the session's running hash level with its {@code size} bytes: the one in memory, the
     * one saved for that size, or one rebuilt from the bytes.
     */
    private void catchUp(String uploadId, Session session, long size) {
        if (session.hash != null && session.hashed == size) {
            return;
        }
        try {
            session.hash = ResumableSha256.restore(driver.getContent(StoragePaths.uploadHashStatePath(uploadId, size)));
        } catch (NoSuchFileException e) {
            session.hash = rehash(uploadId, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        session.hashed = size;
    }

    private ResumableSha256 rehash(String uploadId, long size) {
        ResumableSha256 hash = new ResumableSha256();
        if (size == 0) {
            return hash;
        }
        try (InputStream in = driver.read(StoragePaths.uploadDataPath(uploadId), 0, size)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = in.read(buffer)) > 0; ) {
                hash.update(buffer, 0, n);
            }
            return hash;
        } catch (NoSuchFileException e) {
            // neither a saved hash nor readable bytes (an S3 upload whose hash state was lost): the
            // client must start again
            LOG.warning("upload " + uploadId + ": no saved hash for " + size + " bytes; discarded");
            discardAfterFailure(uploadId);
            throw new RegistryException.BlobUploadUnknown(uploadId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T commit(RepositoryName repository, String uploadId, Digest expected, Committer<T> committer) {
        checkBelongs(repository, uploadId);
        Session session = served(uploadId);
        session.lock.lock();
        String data = StoragePaths.uploadDataPath(uploadId);
        try {
            long size = sizeOf(uploadId);
            Digest actual;
            if (expected.algorithm() == DigestAlgorithm.SHA256) {
                catchUp(uploadId, session, size);
                actual = session.hash.current();
                if (actual.equals(expected)) {
                    driver.writer(data, true).commit(); // the multipart upload completes: readable, movable
                }
            } else {
                driver.writer(data, true).commit(); // other algorithms hash the committed bytes
                actual = hash(data, expected.algorithm());
            }
            if (!actual.equals(expected)) {
                discard(uploadId);
                throw new RegistryException.DigestInvalid("provided digest did not match uploaded content",
                        Map.of("expected", expected.toString(), "actual", actual.toString()));
            }
            T result;
            try {
                result = committer.commit(size, () -> install(uploadId, expected));
            } catch (RegistryException.Denied e) {
                discard(uploadId);
                throw e;
            } catch (RuntimeException e) {
                if (driver.stat(data).isEmpty()) {
                    discardAfterFailure(uploadId); // installed: nothing left to commit again
                }
                throw e;
            }
            discard(uploadId);
            return result;
        } catch (IOException e) {
            // kept: a verified session the client may commit again once storage recovers
            throw WriteFailure.report("upload " + uploadId + " not committed", e, null);
        } finally {
            session.lock.unlock();
        }
    }

    /** Moves the verified bytes to the blob's path; when the blob is there already, they are dropped. */
    private void install(String uploadId, Digest digest) {
        String data = StoragePaths.uploadDataPath(uploadId);
        String blob = StoragePaths.blobPath(digest);
        try {
            if (driver.stat(blob).isPresent()) {
                driver.delete(data);
            } else {
                driver.move(data, blob);
            }
        } catch (IOException e) {
            throw WriteFailure.report("upload " + uploadId + " not committed", e, null);
        }
    }

    private Digest hash(String path, DigestAlgorithm algorithm) throws IOException {
        MessageDigest md = Digest.newMessageDigest(algorithm);
        try (InputStream in = driver.read(path, 0, Long.MAX_VALUE)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return Digest.from(algorithm, md);
    }

    /** The bytes the session holds: none before its first chunk. */
    private long sizeOf(String uploadId) {
        try {
            return driver.stat(StoragePaths.uploadDataPath(uploadId)).map(FileInfo::size).orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
