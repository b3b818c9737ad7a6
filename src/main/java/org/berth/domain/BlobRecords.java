package org.berth.domain;

/**
 * The database's record of each blob stored (one row per digest, whichever repositories link it),
 * and the lock that decides a blob's life: whoever links a blob holds its row from the check that
 * its bytes are there to the end of the transaction that links it, and the garbage collector holds
 * the same row while it checks that nothing links it and removes it. Both methods must run in the
 * caller's transaction, which keeps the row locked until it ends.
 */
public interface BlobRecords {

    /**
     * Locks the blob's row, first creating it when there is none (a blob being stored for the first
     * time, or again after the collector removed it), and marks it touched now. When another
     * transaction creates the same row at the same moment, this one fails on the unique key once
     * the other commits: run it again ({@link UniqueViolations#retryOnce}), and it finds that row.
     *
     * @param size the blob's size, recorded for a new row
     */
    void hold(Digest digest, long size);

    /**
     * Locks the blob's row and marks it touched now, when there is one.
     *
     * @return false when no row exists: the blob is not stored (or the collector just removed it)
     */
    boolean lock(Digest digest);
}
