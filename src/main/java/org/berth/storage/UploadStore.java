package org.berth.storage;

import java.io.InputStream;
import java.util.OptionalLong;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;

/**
 * Upload sessions: bytes arrive in one or more appends, are hashed as they are written, and
 * become a blob only when {@link #commit} verifies them against the digest the client names.
 * Sessions survive a restart of the server.
 */
public interface UploadStore {

    UploadSession create(RepositoryName repository);

    /** @throws org.berth.domain.RegistryException.BlobUploadUnknown when no such session exists for the repository */
    UploadSession status(RepositoryName repository, String uploadId);

    /**
     * Appends the stream to the session.
     *
     * @param start  where the client says the chunk starts (Content-Range), if it said
     * @param length how many bytes the client says the chunk holds, if it said
     * @throws org.berth.domain.RegistryException.RangeInvalid when {@code start} is not the session's size
     */
    UploadSession append(RepositoryName repository, String uploadId, InputStream in, OptionalLong start, OptionalLong length);

    /**
     * Verifies the session's bytes against {@code expected} and makes them the blob for it.
     * On mismatch the session is discarded and DIGEST_INVALID is thrown.
     *
     * @return the blob's size
     */
    long commit(RepositoryName repository, String uploadId, Digest expected);

    void cancel(RepositoryName repository, String uploadId);
}
