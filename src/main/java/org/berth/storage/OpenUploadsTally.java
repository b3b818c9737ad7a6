package org.berth.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link OpenUploads} an upload store enforces its limit with. Counted from storage the first
 * time it is needed, then kept in memory, and counted again from storage when an owner reaches the
 * limit (after a count from storage refused one, not again for a second) and when the count is a
 * minute old.
 * <p>
 * On one node the count in memory is exact. Nodes sharing one storage each count the sessions they
 * open and end; a session one node opened and another ended shows only at the next count from
 * storage, which every node sees whole. So an owner is refused only when storage holds the limit,
 * and the memory of sessions that ended elsewhere is dropped within a minute. Sessions another node
 * opened since the last count are not seen here until the next one: across N nodes an owner may
 * hold up to N times the limit for a minute, a bound all the same.
 */
final class OpenUploadsTally {

    static final long RECOUNT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final long FULL_RECOUNT_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Supplier<OpenUploads> countFromStorage;
    private final LongSupplier nanoTime;
    private final AtomicBoolean counting = new AtomicBoolean();

    private volatile OpenUploads open;
    private volatile long countedAt;
    /** When a count from storage last refused a session. */
    private volatile long refusedAt;

    OpenUploadsTally(Supplier<OpenUploads> countFromStorage) {
        this(countFromStorage, System::nanoTime);
    }

    OpenUploadsTally(Supplier<OpenUploads> countFromStorage, LongSupplier nanoTime) {
        this.countFromStorage = countFromStorage;
        this.nanoTime = nanoTime;
        this.refusedAt = nanoTime.getAsLong() - FULL_RECOUNT_GAP_NANOS;
    }

    /**
     * Counts a new session for its owner, unless storage holds as many of the owner's sessions as
     * allowed.
     *
     * @return the count that refused it, or null when the session is counted
     */
    OpenUploads tryOpen(String sessionId, String owner) {
        OpenUploads counted = current();
        if (counted.tryOpen(sessionId, owner)) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (now - refusedAt < FULL_RECOUNT_GAP_NANOS) {
            return counted; // a refused client does not make each of its requests a listing of storage
        }
        counted = recount();
        if (counted.tryOpen(sessionId, owner)) {
            return null;
        }
        refusedAt = now;
        return counted;
    }

    /** Frees the session's slot; a session not counted here (or freed already) changes nothing. */
    void closed(String sessionId) {
        current().closed(sessionId);
    }

    private OpenUploads current() {
        OpenUploads counted = open;
        if (counted == null) {
            synchronized (this) {
                return open == null ? recount() : open;
            }
        }
        if (nanoTime.getAsLong() - countedAt > RECOUNT_AFTER_NANOS && counting.compareAndSet(false, true)) {
            try {
                return recount(); // one request pays for it; the others go on with the count they have
            } finally {
                counting.set(false);
            }
        }
        return counted;
    }

    /** Counts from storage. Sessions opened here while storage is listed may be missed until the next count: a soft limit. */
    private OpenUploads recount() {
        OpenUploads counted = countFromStorage.get();
        countedAt = nanoTime.getAsLong();
        open = counted;
        return counted;
    }
}
