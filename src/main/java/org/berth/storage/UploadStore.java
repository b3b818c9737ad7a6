package org.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * Upload sessions: bytes arrive in one or more appends, are hashed as they are written, and
 * become a blob only when {@link #commit} verifies them against the digest the client names.
 * Sessions survive a restart of the server.
 */
public interface UploadStore {

    /**
     * Opens a session for {@code owner} (an account, or an anonymous client's address), who then
     * holds it until it is committed or cancelled, or fails.
     *
     * @throws org.berth.domain.RegistryException.TooManyRequests when the owner already holds as
     *         many open sessions as allowed
     */
    UploadSession create(RepositoryName repository, String owner);

    /** @throws org.berth.domain.RegistryException.BlobUploadUnknown when no such session exists for the repository */
    UploadSession status(RepositoryName repository, String uploadId);

    /** A {@code maxSize} that sets no limit. */
    long NO_LIMIT = Long.MAX_VALUE;

    /** Appends the stream to the session, of any size: {@link #append(RepositoryName, String, InputStream, OptionalLong, OptionalLong, long)} with {@link #NO_LIMIT}. */
    default UploadSession append(RepositoryName repository, String uploadId, InputStream in, OptionalLong start, OptionalLong length) {
        return append(repository, uploadId, in, start, length, NO_LIMIT);
    }

    /**
     * Appends the stream to the session, which may hold at most {@code maxSize} bytes. When the
     * declared length would take it past that, nothing is read; when the bytes do, reading stops at
     * the first byte too many. Either way the session is discarded with all its bytes.
     *
     * @param start   where the client says the chunk starts (Content-Range), if it said
     * @param length  how many bytes the client says the chunk holds, if it said
     * @param maxSize the most the session may hold after the append, or {@link #NO_LIMIT}
     * @throws org.berth.domain.RegistryException.RangeInvalid when {@code start} is not the session's size
     * @throws UploadTooLarge when the session would hold more than {@code maxSize}; it is gone
     * @throws org.berth.domain.RegistryException.InsufficientStorage when the disk is full; the session is gone
     * @throws java.io.UncheckedIOException when reading {@code in} failed (the client hung up): what
     *         was read is kept, and the client may resume
     */
    UploadSession append(RepositoryName repository, String uploadId, InputStream in, OptionalLong start, OptionalLong length,
                         long maxSize);

    /**
     * Verifies the session's bytes against {@code expected} and makes them the blob for it.
     * On mismatch the session is discarded and DIGEST_INVALID is thrown.
     *
     * @return the blob's size
     */
    default long commit(RepositoryName repository, String uploadId, Digest expected) {
        return commit(repository, uploadId, expected, (size, install) -> {
            install.run();
            return size;
        });
    }

    /**
     * Verifies the session's bytes against {@code expected} and hands them to {@code committer},
     * which decides whether they become the blob (it runs {@code install}, in the transaction that
     * links the blob, while it holds the blob's row) and so answers for the commit. No chunk can be
     * appended meanwhile. On a digest mismatch the session is discarded and DIGEST_INVALID is
     * thrown. When the committer returns, or refuses with {@link org.berth.domain.RegistryException.Denied},
     * the session is gone; after any other failure it stays for another attempt, unless its bytes
     * were installed already.
     *
     * @return what the committer returns
     */
    <T> T commit(RepositoryName repository, String uploadId, Digest expected, Committer<T> committer);

    /** Takes a verified upload: its size, and the action that makes its bytes the blob (a no-op when the blob is stored already). */
    @FunctionalInterface
    interface Committer<T> {
        T commit(long size, Runnable install);
    }

    void cancel(RepositoryName repository, String uploadId);

    /**
     * Makes {@code verified}, a file whose bytes were hashed and matched {@code digest} as they were
     * written (a proxy cache's spool), the blob, as {@link #commit} does a session's bytes: the
     * committer decides and runs {@code install}. The file is left where it is, for its owner to
     * delete. This default copies it through a session held by {@code owner} (hashed once more); a
     * store on the same filesystem takes it without reading it.
     */
    default <T> T adopt(RepositoryName repository, Path verified, Digest digest, long size, String owner,
                        Committer<T> committer) {
        UploadSession session = create(repository, owner);
        try (InputStream in = Files.newInputStream(verified)) {
            append(repository, session.id(), in, OptionalLong.of(0), OptionalLong.of(size));
        } catch (IOException | RuntimeException e) {
            try {
                cancel(repository, session.id());
            } catch (RegistryException.BlobUploadUnknown gone) {
                // the failed append discarded it already
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return commit(repository, session.id(), digest, committer);
    }

    /**
     * An open session as the garbage collector sees it.
     *
     * @param repository the repository it was opened for, as recorded (null when unreadable)
     * @param lastWrite  when its last byte arrived (when it was opened, before any)
     */
    record SessionInfo(String id, String repository, long size, Instant lastWrite) {
    }

    /** Every open session, read lazily (the caller closes the stream). */
    Stream<SessionInfo> sessions();

    /**
     * Removes the session with its bytes, unless a byte arrived at or after {@code idleSince} or a
     * request is appending to or committing it right now.
     *
     * @return the bytes freed, or -1 when the session was kept (or is gone)
     */
    long expire(String uploadId, Instant idleSince);
}
