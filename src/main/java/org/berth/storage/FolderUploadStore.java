package org.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;

/**
 * What both upload stores do alike: a session is a folder {@code uploads/<id>/} ({@link UploadFolders}),
 * an owner holds a limited number of them ({@link OpenUploadsTally}), and this node keeps a state
 * for each session it serves, whose lock serialises the session's requests here. The stores differ
 * in how the bytes are written and hashed.
 *
 * @param <S> what this node keeps of a session it serves
 */
abstract class FolderUploadStore<S extends FolderUploadStore.Served> implements UploadStore {

    private static final Logger LOG = Logger.getLogger(FolderUploadStore.class.getName());

    /** How long a client refused a session is asked to wait: sessions are freed by clients and by expiry, not soon. */
    static final long RETRY_AFTER_SECONDS = 60;

    /** What a node keeps of a session while it serves it: at least a lock serialising its requests. */
    static class Served {
        final ReentrantLock lock = new ReentrantLock();
    }

    private final Map<String, S> served = new ConcurrentHashMap<>();

    /** Open sessions per owner, counted from storage, which nodes share. */
    private final OpenUploadsTally open = new OpenUploadsTally(() -> folders().count(maxSessionsPerOwner()));

    abstract UploadFolders folders();

    /** The most sessions one owner may hold open; below 1, no limit. */
    abstract int maxSessionsPerOwner();

    abstract S newServed();

    /** Makes what a new session holds besides its folder. */
    void prepare(String uploadId) throws IOException {
    }

    /** Where a write failure is reported as having happened: a folder of the data root, or null. */
    abstract Path failureLocation();

    @Override
    public UploadSession create(RepositoryName repository, String owner) {
        String id = UUID.randomUUID().toString();
        OpenUploads counted = open.tryOpen(id, owner);
        if (counted != null) {
            throw new RegistryException.TooManyRequests("too many open upload sessions: " + owner + " holds "
                    + counted.maxPerOwner() + ", the most allowed; finish or cancel (DELETE) one first", RETRY_AFTER_SECONDS);
        }
        try {
            folders().open(id, repository, owner);
            prepare(id);
        } catch (IOException e) {
            discardAfterFailure(id);
            throw WriteFailure.report("no upload session opened", e, failureLocation());
        }
        return new UploadSession(id, repository, 0);
    }

    @Override
    public void cancel(RepositoryName repository, String uploadId) {
        checkBelongs(repository, uploadId);
        S session = served(uploadId);
        session.lock.lock();
        try {
            discard(uploadId);
        } finally {
            session.lock.unlock();
        }
    }

    @Override
    public Stream<SessionInfo> sessions() {
        return folders().sessions();
    }

    @Override
    public long expire(String uploadId, Instant idleSince) {
        if (!StoragePaths.isUploadId(uploadId)) {
            return -1;
        }
        S session = served(uploadId);
        if (!session.lock.tryLock()) {
            return -1; // a request is appending to it or committing it now
        }
        try {
            SessionInfo now = folders().info(uploadId);
            if (now == null || !now.lastWrite().isBefore(idleSince)) {
                if (now == null) {
                    served.remove(uploadId);
                }
                return -1;
            }
            discard(uploadId);
            return now.size();
        } finally {
            session.lock.unlock();
        }
    }

    /** Checks that the session exists and belongs to the repository. */
    void checkBelongs(RepositoryName repository, String uploadId) {
        folders().checkBelongs(repository, uploadId);
    }

    /** What this node keeps of the session, made on first use. */
    S served(String uploadId) {
        return served.computeIfAbsent(uploadId, id -> newServed());
    }

    /** Removes the session: what this node keeps of it, its folder, and its slot. */
    void discard(String uploadId) {
        served.remove(uploadId);
        folders().remove(uploadId);
        open.closed(uploadId); // after the files: a count rebuilt meanwhile may have seen them
    }

    /** {@link #discard} on the way out of a failure: a second failure is logged, the first is reported. */
    void discardAfterFailure(String uploadId) {
        try {
            discard(uploadId);
        } catch (UncheckedIOException e) {
            LOG.warning("upload " + uploadId + ": removing its files failed too: " + e.getCause());
        }
    }
}
