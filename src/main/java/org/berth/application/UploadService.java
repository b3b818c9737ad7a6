package org.berth.application;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.BlobLinks;
import org.berth.domain.BlobRecords;
import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.UniqueViolations;
import org.berth.storage.BlobStore;
import org.berth.storage.UploadSession;
import org.berth.storage.UploadStore;
import org.berth.storage.UploadTooLarge;

/**
 * Pushing blobs (OCI dist-spec "Pushing blobs"): monolithic, chunked and streamed uploads, and
 * cross-repository mounts. Bytes are committed to the blob store before the repository's link is
 * written, so a crash leaves at worst an unreferenced blob, never a link to missing bytes.
 */
@ApplicationScoped
public class UploadService {

    @Inject
    UploadStore uploads;

    @Inject
    BlobStore blobs;

    @Inject
    BlobLinks links;

    @Inject
    QuotaService quotas;

    @Inject
    BlobRecords blobRecords;

    /**
     * Opens an upload session held by {@code owner} (the account, or an anonymous client's address).
     *
     * @throws RegistryException.TooManyRequests when the owner holds as many open sessions as allowed
     */
    public UploadSession start(RepositoryName repository, String owner) {
        return uploads.create(repository, owner);
    }

    public UploadSession status(RepositoryName repository, String uploadId) {
        return uploads.status(repository, uploadId);
    }

    /**
     * Appends a chunk. In a project with a quota the session may grow no further than the room
     * the project has left (the blob's digest is not known yet, so it may not be one the project
     * holds); a chunk that would take it further is refused, and the session is discarded.
     */
    public UploadSession append(RepositoryName repository, String uploadId, InputStream body,
                                OptionalLong start, OptionalLong length) {
        return appendWithinQuota(repository, uploadId, body, start, length, Optional.empty());
    }

    /**
     * Appends within the room the project's quota leaves: a body that would not fit is not read
     * beyond it, nor kept (issue 14: a quota is applied while the blob streams, not only at commit).
     */
    private UploadSession appendWithinQuota(RepositoryName repository, String uploadId, InputStream body,
                                            OptionalLong start, OptionalLong length, Optional<Digest> digest) {
        long room = quotas.room(repository, digest);
        try {
            return uploads.append(repository, uploadId, body, start, length, room == Long.MAX_VALUE ? UploadStore.NO_LIMIT : room);
        } catch (UploadTooLarge e) {
            throw quotas.tooLarge(repository, e.atLeast());
        }
    }

    /**
     * Appends the final chunk (if any), verifies the digest and links the blob into the repository.
     * Not one transaction: the bytes may take minutes to arrive, and a link is a single insert.
     */
    public void complete(RepositoryName repository, String uploadId, Digest digest, InputStream body,
                         OptionalLong start, OptionalLong length) {
        if (body != null) {
            appendWithinQuota(repository, uploadId, body, start, length, Optional.of(digest));
        }
        commitWithinQuota(repository, uploadId, digest);
    }

    /**
     * Commits the upload and links the blob, if the project's quota allows: a refusal discards the
     * uploaded bytes. The bytes become the blob inside the transaction that links it, while it holds
     * the blob's row ({@link BlobRecords#hold}): the garbage collector, which takes that row to
     * delete a blob, either finished before (and this upload stores the blob anew) or waits and then
     * finds the link.
     */
    private void commitWithinQuota(RepositoryName repository, String uploadId, Digest digest) {
        try {
            quotas.precheck(repository, digest, uploads.status(repository, uploadId).size());
        } catch (RegistryException.Denied e) {
            uploads.cancel(repository, uploadId);
            throw e;
        }
        uploads.commit(repository, uploadId, digest, linkWithinQuota(repository, digest));
    }

    /**
     * Installs verified bytes and links them, within the project's quota, in one transaction that
     * holds the blob's row; a second transaction when another upload of the same blob created its
     * row at the same moment.
     */
    private UploadStore.Committer<Void> linkWithinQuota(RepositoryName repository, Digest digest) {
        return (size, install) -> UniqueViolations.retryOnce(
                () -> quotas.admit(repository, digest, size, () -> {
                    blobRecords.hold(digest, size);
                    install.run();
                    links.link(repository, digest, size);
                    return null;
                }));
    }

    /**
     * Stores a file already verified against {@code digest} as it was written (a proxy cache's
     * spool) and links it into the repository, within its quota: on a filesystem store without
     * reading it again. The file stays for the caller to delete.
     */
    public void adoptWhole(RepositoryName repository, Digest digest, Path verified, long size, String owner) {
        quotas.precheck(repository, digest, size);
        uploads.adopt(repository, verified, digest, size, owner, linkWithinQuota(repository, digest));
    }

    public void cancel(RepositoryName repository, String uploadId) {
        uploads.cancel(repository, uploadId);
    }

    /** A whole blob in one request (POST with {@code ?digest=}), in a session {@code owner} holds meanwhile. */
    public void uploadWhole(RepositoryName repository, Digest digest, InputStream body, OptionalLong length, String owner) {
        UploadSession session = uploads.create(repository, owner);
        try {
            appendWithinQuota(repository, session.id(), body, OptionalLong.of(0), length, Optional.of(digest));
        } catch (RuntimeException e) {
            try {
                uploads.cancel(repository, session.id());
            } catch (RegistryException.BlobUploadUnknown gone) {
                // the failed append discarded it already
            }
            throw e;
        }
        commitWithinQuota(repository, session.id(), digest);
    }

    /**
     * Mounts a blob from another repository (OCI dist-spec "Mounting a blob from another
     * repository"). With no source, any repository linking the blob will do.
     *
     * @param mayRead tells whether the caller may pull from a candidate source repository
     * @return true when mounted; false when the caller must upload instead
     */
    public boolean mount(RepositoryName repository, Digest digest, Optional<RepositoryName> from,
                         Predicate<RepositoryName> mayRead) {
        Optional<Long> size = blobs.size(digest);
        if (size.isEmpty()) {
            return false;
        }
        boolean visible = from.isPresent()
                ? mayRead.test(from.get()) && links.isLinked(from.get(), digest)
                : links.repositoriesLinking(digest, 20).stream().anyMatch(mayRead);
        if (!visible && !links.isLinked(repository, digest)) {
            return false;
        }
        // the blob may have been collected since its size was read: then the client uploads it
        return quotas.admit(repository, digest, size.get(), () -> {
            if (!blobRecords.lock(digest) || blobs.size(digest).isEmpty()) {
                return false;
            }
            links.link(repository, digest, size.get());
            return true;
        });
    }
}
